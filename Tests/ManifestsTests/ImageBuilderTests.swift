import Foundation
@testable import Manifests
import Schema
import Testing

/// `image_building.*` configures the builder (admin_guide/configuration/installer-configuration.txt, "Image
/// building"): the controller's config.yaml and BuildKit's buildkitd.toml.
struct ImageBuilderTests {
    func file(_ result: RenderResult, _ map: String, _ key: String) throws -> String {
        try #require(result.object("ConfigMap", map)?.json["data"]?[key]?.stringValue)
    }

    @Test func theControllerConfigCarriesConcurrencyTimingsAndRegistries() throws {
        let config = try file(render("full-control-plane.yaml"), ImageBuilderHook.managerConfig, "config.yaml")
        #expect(config.contains("concurrency: 5"))
        #expect(config.contains("poolSyncWaitTime: 5m") && config.contains("poolMaxIdleTime: 1h"))
        #expect(config.contains("registry.acme.example.com:5000"))
        #expect(config.contains("level: info"))
        let verbose = try file(render("full-control-plane.yaml", sets: ["image_building.verbose=true"]),
                               ImageBuilderHook.managerConfig, "config.yaml")
        #expect(verbose.contains("level: debug"))
    }

    @Test func buildKitKeepsTheRetainedCacheAndTrustsTheDeclaredRegistries() throws {
        let toml = try file(render("full-control-plane.yaml"), ImageBuilderHook.buildkitConfig, "buildkitd.toml")
        #expect(toml.contains("gckeepstorage = \(100 << 30)"))
        #expect(toml.contains("[registry.\"registry.acme.example.com:5000\"]"))
        #expect(toml.contains("insecure = true") && toml.contains("http = false"))
    }

    @Test func rootlessBuildKitRunsUnprivilegedOnTheBuilderNodes() throws {
        let normal = try #require(render("full-control-plane.yaml").object("StatefulSet", "hephaestus-buildkit"))
        #expect(normal.json.at("spec.template.spec.nodeSelector")?["dominodatalab.com/node-pool"]?.stringValue == "default")
        #expect(normal.json.at("spec.template.spec.containers.0.securityContext.privileged")?.boolValue == true)
        let rootless = try #require(render("full-control-plane.yaml", sets: ["image_building.rootless=true"])
            .object("StatefulSet", "hephaestus-buildkit"))
        #expect(rootless.json.at("spec.template.spec.containers.0.image")?.stringValue?.hasSuffix("-rootless") == true)
        #expect(rootless.json.at("spec.template.spec.containers.0.securityContext.privileged") == nil)
    }
}
