import Schema

/// A manifest or index as kiln reads it: its media type and the descriptors it points to, the bytes kept verbatim
/// (their digest is the manifest's identity).
struct ManifestDocument: Sendable {
    struct Child: Sendable {
        let mediaType: String
        let digest: Digest
        let size: Int64
        let platform: ImagePlatform?
    }

    static let acceptedTypes = [OCIDescriptor.imageIndex, OCIDescriptor.imageManifest,
                                OCIDescriptor.dockerManifestList, OCIDescriptor.dockerManifest]

    let bytes: [UInt8]
    let digest: Digest
    let mediaType: String
    /// An index's (or manifest list's) manifests.
    let manifests: [Child]
    /// A manifest's config and layers.
    let config: Child?
    let layers: [Child]

    var isIndex: Bool { mediaType == OCIDescriptor.imageIndex || mediaType == OCIDescriptor.dockerManifestList }
    var descriptor: OCIDescriptor { OCIDescriptor(mediaType: mediaType, digest: digest, size: Int64(bytes.count)) }
    /// Config and layers.
    var blobs: [Child] { (config.map { [$0] } ?? []) + layers }

    struct Unreadable: Error, CustomStringConvertible { let description: String }

    /// `contentType` is the registry's `Content-Type` (or the descriptor's media type); the document's own
    /// `mediaType` wins when it has one.
    init(bytes: [UInt8], contentType: String?) throws {
        self.bytes = bytes
        digest = SHA256Hasher.digest(bytes)
        guard let json = try? JSONReader.parse(String(decoding: bytes, as: UTF8.self)), json.objectValue != nil else {
            throw Unreadable(description: "the manifest is not JSON")
        }
        let declared = json["mediaType"]?.stringValue ?? contentType?.split(separator: ";").first.map(String.init)
        if let declared, Self.acceptedTypes.contains(declared) {
            mediaType = declared
        } else if json["manifests"] != nil {
            mediaType = OCIDescriptor.imageIndex
        } else if json["layers"] != nil {
            mediaType = OCIDescriptor.imageManifest
        } else if json["schemaVersion"]?.numberValue == 1 {
            throw Unreadable(description: "a Docker schema 1 manifest (deprecated; the registry has no schema 2 or OCI manifest for it)")
        } else {
            throw Unreadable(description: "media type \(declared ?? "none") is not an image manifest or index")
        }
        func child(_ value: JSONValue) throws -> Child {
            guard let text = value["digest"]?.stringValue, let size = value["size"]?.numberValue else {
                throw Unreadable(description: "a descriptor has no digest or size")
            }
            let digest = try Digest(parsing: text)
            var platform: ImagePlatform?
            if let p = value["platform"], let os = p["os"]?.stringValue, let arch = p["architecture"]?.stringValue {
                platform = ImagePlatform(os: os, architecture: arch, variant: p["variant"]?.stringValue)
            }
            return Child(mediaType: value["mediaType"]?.stringValue ?? "", digest: digest, size: Int64(size), platform: platform)
        }
        manifests = try (json["manifests"]?.arrayValue ?? []).map(child)
        config = try json["config"].map(child)
        layers = try (json["layers"]?.arrayValue ?? []).map(child)
    }
}
