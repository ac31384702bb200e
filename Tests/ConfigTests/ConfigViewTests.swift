import Foundation
import Config
import Testing

/// Keys a config leaves out read as their documented default.
struct ConfigViewTests {
    func view(_ text: String) throws -> ConfigView {
        ConfigView(try #require(ConfigFile.parse(text, name: "t.yaml").root))
    }

    @Test func missingKeysReadAsTheSchemaDefault() throws {
        let v = try view(minimalConfig)
        #expect(v.bool("istio.cni") == true)
        #expect(v.bool("istio.enabled") == false)
        #expect(v.bool("control_plane") == true)
        #expect(v.string("cluster_domain") == "cluster.local")
        #expect(v.string("namespaces.platform.name") == "domino-platform")
        #expect(v.string("ingress_controller.class_name") == "nginx")
        #expect(!v.isDataPlaneOnly)
    }

    /// A dotted path is walked segment by segment without splitting it; empty segments are skipped, as a split
    /// that omits them would.
    @Test func dottedPathsSkipEmptySegments() throws {
        let v = try view(minimalConfig + "\nistio:\n  enabled: true\n")
        #expect(v.instance("istio.enabled")?.scalarText == "true")
        for path in [".istio.enabled", "istio.enabled.", "istio..enabled", "..istio...enabled.."] {
            #expect(v.instance(path)?.scalarText == "true", "\(path)")
        }
        #expect(v.instance("")?.members?.isEmpty == false)
        #expect(v.instance("istio.nope") == nil)
        #expect(v.instance("istio.enabled.deeper") == nil)
    }

    /// `ConfigView` finds a default on the property that declares it, not inside a `$ref`'d definition (a
    /// definition is shared by keys whose defaults differ). So the schema must declare none there, or a key would
    /// silently read as unset.
    @Test func noDefaultHidesInsideADefinition() throws {
        let text = try #require(BuiltinResources.text(InstallConfigSchema.resourcePath))
        let schema = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        let definitions = try #require(schema?["$defs"] as? [String: Any])
        #expect(definitions.count > 5)
        func defaults(_ node: Any, _ path: String) -> [String] {
            if let object = node as? [String: Any] {
                return (object["default"] != nil ? [path] : [])
                    + object.keys.sorted().flatMap { defaults(object[$0]!, path + "/" + $0) }
            }
            if let array = node as? [Any] { return array.enumerated().flatMap { defaults($1, "\(path)/\($0)") } }
            return []
        }
        #expect(defaults(definitions, "$defs") == [])
        #expect(defaults(schema?["properties"] as Any, "properties").count > 20)
    }

    @Test func writtenValuesWinOverDefaults() throws {
        let v = try view(minimalConfig + "istio:\n  cni: false\ncluster_domain: k8s.internal\n")
        #expect(v.bool("istio.cni") == false)
        #expect(v.string("cluster_domain") == "k8s.internal")
    }

    @Test func keyLocationPointsAtTheKey() throws {
        let v = try view(minimalConfig)
        #expect(v.keyLocation("storage_classes.block.name")?.line == 8)
        #expect(v.keyLocation("storage_classes.block.name")?.column == 5)
        // A key that is not written points at its nearest written parent.
        #expect(v.keyLocation("storage_classes.block.type")?.line == 7)
    }
}
