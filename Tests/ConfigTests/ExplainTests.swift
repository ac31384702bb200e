import Config
import Testing

struct ExplainTests {
    @Test func explainsALeafKey() throws {
        let e = try KeyExplanation.explain("storage_classes.block.name").get()
        #expect(e.types == ["string"])
        #expect(e.required.hasPrefix("yes"))
        #expect(e.description.contains("cannot be"))
        #expect(e.reference == "admin_guide/configuration/installer-configuration.txt")
        #expect(!e.secret)
    }

    @Test func explainsDefaultsAndAllowedValues() throws {
        let e = try KeyExplanation.explain("data_plane.type").get()
        #expect(e.allowedValues == ["local", "remote"])
        #expect(e.defaultValue == "local")
        #expect(try KeyExplanation.explain("cluster_domain").get().defaultValue == "cluster.local")
    }

    @Test func explainsThroughListsAndFreeFormMaps() throws {
        let password = try KeyExplanation.explain("helm.image_registries[].password").get()
        #expect(password.secret)
        #expect(password.required.hasPrefix("yes"))
        let values = try KeyExplanation.explain("release_overrides.nginx-ingress.chart_values").get()
        #expect(values.types == ["mapping"])
    }

    @Test func explainsASectionWithItsKeys() throws {
        let e = try KeyExplanation.explain("istio").get()
        #expect(e.keys.map(\.name) == ["enabled", "install", "cni"])
        #expect(e.required == "no")
    }

    @Test func anUnknownKeySuggestsTheClosestOne() {
        guard case .failure(let unknown) = KeyExplanation.explain("storage_classes.blokc.name") else {
            Issue.record("expected a failure")
            return
        }
        #expect(unknown.suggestion == "block")
        #expect(unknown.parent == "storage_classes")
    }

    @Test func explainsEveryCode() throws {
        let r003 = try #require(CodeExplanation.explain("KILN-R003"))
        #expect(r003.kind == "semantic rule")
        #expect(try #require(CodeExplanation.explain("kiln-y004")).summary.contains("billion laughs"))
        #expect(CodeExplanation.explain("KILN-X999") == nil)
        let all = CodeExplanation.all.map(\.code)
        #expect(Set(all).count == all.count)
    }
}
