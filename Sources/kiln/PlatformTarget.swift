import Apply
import Config
import Manifests

/// A valid config rendered, with a manager for the cluster and kiln's inventory there: what preflight, upgrade and
/// adopt start from. `config` is schema-typed, as the render read it.
struct PlatformTarget {
    let config: ConfigView
    let result: RenderResult
    let manager: ResourceManager
    let inventory: ApplySet

    init(_ file: String, layers: LayerOptions, access: ClusterAccess) throws {
        let (config, result) = try renderedPlatform(file, layers: layers, color: access.output.color.enabled)
        self.config = ConfigView(InstallConfigSchema.shared.typed(config.root))
        self.result = result
        manager = try access.cluster.manager()
        inventory = ApplySet(namespace: PlatformRenderer.systemNamespace(config))
    }
}
