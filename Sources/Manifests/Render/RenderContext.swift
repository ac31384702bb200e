import Config
import Diagnostics
import Platform
import Schema

/// What the renderer derives once from a config: namespaces, labels, where pods go, how images are named, and the
/// secret values rendered objects need.
struct RenderContext {
    let config: ConfigView
    let plan: ReleasePlan
    let sizing: SizingPlan
    let labels: ObjectLabels
    let version: String
    let dataPlaneOnly: Bool
    let namespaces: [NamespaceRole: String]
    let pullSecret: String?
    let offlineRegistry: String?
    let networkPolicies: Bool
    let istioSidecars: Bool
    let secrets: SecretValues
    let imageRewrite: ImageRewrite?
    /// Per release, the `chart_values.image` repository and tag the config gives (read once: images are asked for
    /// per container).
    let imageOverrides: [String: (repository: String?, tag: String?)]
    var diagnostics: [Diagnostic] = []

    static let pullSecretName = "domino-registry"
    static let priorityClass = "domino-platform"

    init(config: ConfigView, plan: ReleasePlan, sizing: SizingPlan, secrets: SecretValues, images: ImageRewrite? = nil) {
        self.config = config
        imageRewrite = images
        var overrides: [String: (repository: String?, tag: String?)] = [:]
        for release in config.instance("release_overrides")?.members ?? [] {
            let path = "release_overrides.\(release.key).chart_values.image"
            let repository = config.filled("\(path).repository"), tag = config.filled("\(path).tag")
            if repository != nil || tag != nil { overrides[release.key] = (repository, tag) }
        }
        imageOverrides = overrides
        self.plan = plan
        self.sizing = sizing
        self.secrets = secrets
        version = config.string(.version) ?? PlatformVersion.supported.last!
        dataPlaneOnly = config.isDataPlaneOnly
        namespaces = [
            .platform: config.string(.namespacesPlatformName) ?? "domino-platform",
            .compute: config.string(.namespacesComputeName) ?? "domino-compute",
            .system: PlatformRenderer.systemNamespace(config),
            .istio: config.string(.namespacesIstioName) ?? "istio-system",
        ]
        pullSecret = config.list(.helmImageRegistries).isEmpty ? nil : Self.pullSecretName
        offlineRegistry = config.filled(.offlineImageRegistry)
        networkPolicies = config.bool(.enableNetworkPolicies)
        istioSidecars = config.bool(.istioEnabled)
        labels = ObjectLabels(installName: config.string(.name) ?? "platform", version: version)
    }

    func namespace(_ role: NamespaceRole) -> String { namespaces[role] ?? "default" }

    /// The image as the cluster pulls it: offline installs pull everything from the private registry, keeping the
    /// repository path (`quay.io/domino/nucleus:6.1.2` → `registry.example.com:5000/domino/nucleus:6.1.2`).
    /// With an `ImageRewrite` (digest pinning), it has the last word on every image the render names.
    func image(_ image: Image) -> String {
        pulled(image.reference(for: version))
    }

    /// An image a release runs: where it is the release's main image (its first workload's, which its other workloads
    /// and jobs may share), what `release_overrides.<release>.chart_values.image.repository` and `.tag` say, as a Helm
    /// chart's `image` applies to every container of it (the values schema has always accepted them); then pulled as
    /// every image is. The cluster autoscaler's tag, for one, should follow the cluster's Kubernetes minor version
    /// (`kiln preflight` checks it).
    func image(_ image: Image, of release: String) -> String {
        guard let override = imageOverrides[release], ReleaseCatalog.release(release)?.workloads.first?.image == image else {
            return self.image(image)
        }
        return pulled("\(override.repository ?? image.repository):\(override.tag ?? image.tag(for: version))")
    }

    private func pulled(_ reference: String) -> String {
        imageRewrite?.rewrite(reference, pulledReference(reference)) ?? pulledReference(reference)
    }

    private func pulledReference(_ reference: String) -> String {
        guard let registry = offlineRegistry else { return reference }
        let parts = reference.split(separator: "/", maxSplits: 1)
        guard parts.count == 2, parts[0].contains(".") || parts[0].contains(":") || parts[0] == "localhost" else {
            return registry + "/" + reference
        }
        return registry + "/" + parts[1]
    }

    /// Node placement: the platform pool, the compute pool, GPU nodes, plus `global_node_selectors` everywhere.
    func nodeSelector(_ nodes: Workload.Nodes) -> [String: String] {
        var selector: [String: String] = [:]
        for member in config.instance(.globalNodeSelectors)?.members ?? [] {
            if let value = member.value.scalarText { selector[member.key] = value }
        }
        switch nodes {
        case .platform: selector["dominodatalab.com/node-pool"] = "platform"
        case .compute: selector["dominodatalab.com/node-pool"] = "default"
        case .gpu: selector["nvidia.com/gpu"] = "true"
        case .neuron: selector["dominodatalab.com/node-pool"] = "neuron"
        case .all: break
        }
        return selector
    }

    func map(_ path: String) -> [String: String] { config.map(path) }

    func map(_ key: ConfigKey<ConfigMapping>) -> [String: String] { config.map(key) }

    /// `global_pod_environment`, in order.
    var podEnvironment: [(String, String)] {
        config.list(.globalPodEnvironment).compactMap { item in
            guard let name = item["name"]?.scalarText else { return nil }
            return (name, item["value"]?.scalarText ?? "")
        }
    }
}
