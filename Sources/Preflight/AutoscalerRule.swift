import Manifests

/// The cluster autoscaler is released per Kubernetes minor version and supported only on that one: the image the
/// render runs must be the cluster's minor (`release_overrides.cluster-autoscaler.chart_values.image.tag` sets it;
/// kiln's catalog tag is for the newest Kubernetes the platform supports).
enum AutoscalerRule {
    static let tagKey = "release_overrides.cluster-autoscaler.chart_values.image.tag"

    static func evaluate(_ input: PreflightInput) -> [Finding] {
        guard let deployment = input.rendered("Deployment").first(where: { $0.release == "cluster-autoscaler" }),
              let image = deployment.json["spec"]?["template"]?["spec"]?["containers"]?.arrayValue?.first?["image"]?.stringValue else {
            return [.pass("the config installs no cluster autoscaler")]
        }
        let server = input.facts.version.minorVersion
        guard let minor = minorVersion(ofTag: image) else {
            return [.warn("cluster-autoscaler runs \(image), whose tag names no Kubernetes version; the cluster runs \(server)",
                          "set `\(tagKey)` to a v\(server).x release")]
        }
        let found = "cluster-autoscaler \(image) is for Kubernetes \(minor); the cluster runs \(input.facts.version)"
        return minor == server ? [.pass(found)]
            : [.warn(found, "set `\(tagKey): v\(server).N` (the autoscaler release for Kubernetes \(server); it must follow the cluster's minor version)")]
    }

    /// `…/cluster-autoscaler:v1.32.0` (or `…:v1.32.0@sha256:…`) → `1.32`; nil for a tag of another form or none.
    static func minorVersion(ofTag image: String) -> String? {
        let name = image.split(separator: "@").first.map(String.init) ?? image
        guard let colon = name.lastIndex(of: ":"), !name[colon...].contains("/") else { return nil }
        let parts = name[name.index(after: colon)...].drop { $0 == "v" }.split(separator: ".")
        guard parts.count >= 2, let major = Int(parts[0]), let minor = Int(parts[1].prefix { $0.isNumber }) else { return nil }
        return "\(major).\(minor)"
    }
}
