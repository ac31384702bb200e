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
