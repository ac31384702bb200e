import Config

/// The Kubernetes versions the platform is validated on, per provider and platform minor version, as
/// `admin_guide/kubernetes-infrastructure/kubernetes-compatibility.txt` tables them (two rows per provider), with its
/// footnotes: EKS 1.32 only from 6.0.3; EKS and AKS 1.33 only from 6.1.2. The 6.1.2 release notes
/// (`release_notes/6-1-2.txt`) move OpenShift to 1.31 (4.18), so kiln gates that one to 6.1.2 as well.
public enum SupportMatrix {
    public static let page = "admin_guide/kubernetes-infrastructure/kubernetes-compatibility.txt"

    public enum Provider: String, Sendable, CaseIterable {
        case eks = "EKS", aks = "AKS", gke = "GKE", openshift = "OpenShift", rancher = "Rancher"
    }

    /// A validated Kubernetes minor, and the first platform patch it is validated from.
    struct Entry {
        let kubernetes: String
        var from: String? = nil
    }

    /// Provider → platform minor → validated Kubernetes minors.
    static let controlPlane: [Provider: [String: [Entry]]] = [
        .eks: ["6.1": [Entry(kubernetes: "1.32"), Entry(kubernetes: "1.33", from: "6.1.2")],
               "6.0": [Entry(kubernetes: "1.31"), Entry(kubernetes: "1.32", from: "6.0.3")],
               "5.11": [Entry(kubernetes: "1.28"), Entry(kubernetes: "1.29")], "5.10": [Entry(kubernetes: "1.27"), Entry(kubernetes: "1.28")],
               "5.9": [Entry(kubernetes: "1.27"), Entry(kubernetes: "1.28")]],
        .aks: ["6.1": [Entry(kubernetes: "1.32"), Entry(kubernetes: "1.33", from: "6.1.2")],
               "6.0": [Entry(kubernetes: "1.30"), Entry(kubernetes: "1.31")],
               "5.11": [Entry(kubernetes: "1.28"), Entry(kubernetes: "1.29")], "5.10": [Entry(kubernetes: "1.27"), Entry(kubernetes: "1.28")],
               "5.9": [Entry(kubernetes: "1.27"), Entry(kubernetes: "1.28")]],
        .gke: ["6.1": [Entry(kubernetes: "1.31"), Entry(kubernetes: "1.32")], "6.0": [Entry(kubernetes: "1.31"), Entry(kubernetes: "1.32")],
               "5.11": [Entry(kubernetes: "1.28"), Entry(kubernetes: "1.29")], "5.10": [Entry(kubernetes: "1.27"), Entry(kubernetes: "1.28")],
               "5.9": [Entry(kubernetes: "1.26"), Entry(kubernetes: "1.27")]],
        .openshift: ["6.1": [Entry(kubernetes: "1.30"), Entry(kubernetes: "1.31", from: "6.1.2")], "6.0": [Entry(kubernetes: "1.30")],
                     "5.11": [Entry(kubernetes: "1.28")], "5.10": [Entry(kubernetes: "1.27")], "5.9": [Entry(kubernetes: "1.27")]],
        .rancher: ["5.11": [Entry(kubernetes: "1.27"), Entry(kubernetes: "1.28")], "5.10": [Entry(kubernetes: "1.26")],
                   "5.9": [Entry(kubernetes: "1.26")]],
    ]

    /// The minimum Kubernetes minor for a Nexus data plane (not on a vCluster). The page has columns for control
    /// planes 6.0.x and 5.11.x only; a 6.1 data plane is held to the newest column.
    static let dataPlaneMinimum = (kubernetes: "1.26", column: "6.0.x")

    /// The Kubernetes minors validated for `provider` at `platform` (a patch version, `6.1.1`), footnotes applied.
    public static func validated(_ provider: Provider, platform: String) -> [String] {
        let minor = PlatformVersionNumber(platform)?.minorVersion ?? platform
        return (controlPlane[provider]?[minor] ?? []).filter { entry in
            guard let from = entry.from, let have = PlatformVersionNumber(platform), let need = PlatformVersionNumber(from) else { return true }
            return have >= need
        }.map(\.kubernetes)
    }

    /// Minors listed for `provider` at `platform`'s minor that a later patch gates (`1.33` before 6.1.2).
    public static func gated(_ provider: Provider, platform: String) -> [(kubernetes: String, from: String)] {
        let minor = PlatformVersionNumber(platform)?.minorVersion ?? platform
        let valid = validated(provider, platform: platform)
        return (controlPlane[provider]?[minor] ?? []).compactMap { entry in
            guard let from = entry.from, !valid.contains(entry.kubernetes) else { return nil }
            return (entry.kubernetes, from)
        }
    }

    /// The provider a config targets: its preset, `openshift: true`, else the cloud its block storage type implies.
    public static func provider(_ config: ConfigView) -> Provider? {
        if config.bool(.openshift) { return .openshift }
        switch config.string(.preset) {
        case "eks", "data-plane-eks": return .eks
        case "aks": return .aks
        case "gke": return .gke
        case "openshift": return .openshift
        default: break
        }
        switch config.string(.storageClassesBlockType) {
        case "ebs": return .eks
        case "azure-disk": return .aks
        case "gce": return .gke
        default: return nil
        }
    }

    /// `1.9` < `1.10`: Kubernetes minors compared as numbers.
    static func minorLess(_ a: String, _ b: String) -> Bool {
        let x = a.split(separator: ".").compactMap { Int($0) }, y = b.split(separator: ".").compactMap { Int($0) }
        return x.lexicographicallyPrecedes(y)
    }
}
