/// The platform versions schema 1.14 installs.
public enum PlatformVersion {
    public static let supported = ["6.1.0", "6.1.1", "6.1.2"]
}

/// A container image whose tag may differ per platform version.
///
/// The reference names images in two forms, which the catalog follows: the vendor's own components as
/// `quay.io/domino/<component>` (tagged with the platform version), and third-party images mirrored as
/// `quay.io/domino/<org>.<repository>` (as `quay.io/domino/kuberhealthy.http-check` and
/// `quay.io/domino/openresty.openresty` on the troubleshooting pages). Where the reference gives a version
/// (Keycloak 26.1.4 in 6.1.0, 26.2.5 in 6.1.1 and 6.1.2) the tag is that version; the other tags are kiln's map.
public struct Image: Sendable, Hashable {
    public let repository: String
    /// Platform version → tag; `*` for every version.
    let tags: [String: String]

    public func reference(for version: String) -> String {
        "\(repository):\(tag(for: version))"
    }

    public func tag(for version: String) -> String {
        tags[version] ?? tags["*"] ?? version
    }

    /// The vendor's own component, tagged with the platform version.
    public static func domino(_ component: String) -> Image {
        Image(repository: "quay.io/domino/\(component)", tags: [:])
    }

    /// A third-party image mirrored by the vendor, the same tag for every platform version.
    public static func mirrored(_ orgRepository: String, _ tag: String) -> Image {
        Image(repository: "quay.io/domino/\(orgRepository)", tags: ["*": tag])
    }

    /// A third-party image mirrored by the vendor, tagged per platform version.
    static func mirrored(_ orgRepository: String, perVersion tags: [String: String]) -> Image {
        Image(repository: "quay.io/domino/\(orgRepository)", tags: tags)
    }

    /// An image pulled from its upstream registry (the reference lists docker.elastic.co among them).
    static func upstream(_ repository: String, _ tag: String) -> Image {
        Image(repository: repository, tags: ["*": tag])
    }
}
