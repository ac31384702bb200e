import Config
import Diagnostics
import Schema
import Testing

struct LayeringTests {
    let thin = """
        preset: eks
        name: acme
        hostname: domino.acme.example.com
        storage_classes:
          block:
            name: gp3-encrypted
        blob_storage: null

        """

    func load(_ text: String, preset: String? = nil, sets: [String] = []) -> LoadedConfig {
        ConfigLoader.load(ConfigFile.parse(text, name: "acme.yaml"), preset: preset, sets: sets)
    }

    @Test func mapsMergeListsReplaceAndNullRemoves() throws {
        let loaded = load(thin + "helm:\n  image_registries:\n    - server: registry.acme.example.com\n      username: a\n      password: b\n")
        let view = ConfigView(try #require(loaded.root))
        // Merged: the preset's block class settings stay, the file's name wins.
        #expect(view.string("storage_classes.block.name") == "gp3-encrypted")
        #expect(view.string("storage_classes.block.type") == "ebs")
        // Replaced: the file's list of registries is the whole list.
        #expect(view.list("helm.image_registries").compactMap { $0["server"]?.text } == ["registry.acme.example.com"])
        // Removed.
        #expect(!view.has("blob_storage"))
        #expect(view.has("storage_classes.shared.efs"))
    }

    @Test func originsNameEveryLayerThatSetAValue() throws {
        let loaded = load(thin, sets: ["storage_classes.block.name=fast"])
        let layered = try #require(loaded.layered)
        let name = ValueProvenance(KeyPath(parsing: "storage_classes.block.name"), in: layered)
        #expect(name.value == "fast")
        #expect(name.origin == "set by preset default (presets/default.yaml:43), overridden by preset eks (presets/eks.yaml:15), overridden by acme.yaml:6, overridden by --set storage_classes.block.name=fast")
        let cni = ValueProvenance(KeyPath(parsing: "istio.cni"), in: layered)
        #expect(cni.origin == "set by preset default (presets/default.yaml:39)")
        let removed = ValueProvenance(KeyPath(parsing: "blob_storage"), in: layered)
        #expect(removed.value == "(not set)")
        #expect(removed.origin.hasSuffix("removed by acme.yaml:7"))
        let defaulted = ValueProvenance(KeyPath(parsing: "cluster_domain"), in: layered)
        #expect(defaulted.value == "cluster.local (default)")
        let secret = ValueProvenance(KeyPath(parsing: "helm.image_registries[0].password"), in: layered)
        #expect(secret.value == "(a secret value, not shown)")
        #expect(secret.origin.hasSuffix("(as part of `helm.image_registries`)"))
    }

    @Test func diagnosticsPointAtTheFileThatWroteTheValue() {
        let report = ConfigValidation.validate(load(thin))
        let placeholders = report.diagnostics.filter { $0.code == ConfigCode.placeholder }
        #expect(!placeholders.isEmpty)
        #expect(placeholders.allSatisfy { $0.file?.hasPrefix("presets/") == true })
        #expect(report.sources["presets/eks.yaml"] != nil)
        let kms = placeholders.first { $0.path == "storage_classes.block.parameters.kmsKeyId" }
        #expect(kms?.file == "presets/eks.yaml")
        #expect(kms?.location?.line == 19)
        // An error in the user's own value points at the user's file.
        let typo = ConfigValidation.validate(load(thin + "istio:\n  enable: true\n"))
        #expect(typo.diagnostics.first { $0.code == "KILN-S007" }?.file == "acme.yaml")
    }

    @Test func presetFlagOverridesTheFilesPresetKey() throws {
        let view = ConfigView(try #require(load(thin, preset: "gke").root))
        #expect(view.string("storage_classes.block.type") == "gce")
    }

    @Test func setFlagsReachIntoListsAndTakeYAML() throws {
        let view = ConfigView(try #require(load(thin, sets: [
            "helm.image_registries[0].username=robot", "autoscaler.groups=[]", "ssl_redirect=false", "ingress_controller=null",
        ]).root))
        #expect(view.list("helm.image_registries").first?["username"]?.text == "robot")
        #expect(view.list("helm.image_registries").first?["server"]?.text == "quay.io")
        #expect(view.bool("ssl_redirect") == false)
        #expect(!view.has("ingress_controller"))
    }

    @Test func aMalformedSetFlagIsAnError() {
        let report = ConfigValidation.validate(load(thin, sets: ["no-equals-sign"]))
        #expect(report.diagnostics.contains { $0.code == ConfigCode.badFlag })
        #expect(!report.isValid)
    }
}
