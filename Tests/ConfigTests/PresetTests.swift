import Config
import Diagnostics
import Schema
import Testing

/// A value that passes the schema for each placeholder, by what the placeholder is for, as a user (or their
/// Terraform output) would fill it.
func fillValue(for path: String) -> String {
    let key = KeyPath(parsing: path).lastKey ?? ""
    switch key {
    case "name": return path == "name" ? "acme-west" : "acme"
    case "hostname": return "domino.acme.example.com"
    case "region": return "us-west-2"
    case "kmsKeyId", "sse_kms_key_id": return "arn:aws:kms:us-west-2:123456789012:key/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"
    case "filesystem_id": return "fs-7a535bd1"
    case "access_point_id": return "fsap-01234567"
    case "bucket": return "acme-bucket"
    case "cluster_name", "username", "service_account_name", "project_name": return "acme"
    case "service.beta.kubernetes.io/aws-load-balancer-ssl-cert": return "arn:aws:acm:us-west-2:123456789012:certificate/abc"
    case "service.beta.kubernetes.io/aws-load-balancer-access-log-s3-bucket-name": return "acme-logs"
    case "account_name": return "acmestorage"
    case "container": return "backups"
    case "external_docker_registry": return path.contains("azure") ? "" : "acme.azurecr.io"
    case "tenant_id", "client_id": return "fc04e151-a39c-40a1-96d9-3913aa8a4a46"
    case "server": return "10.0.0.2"
    case "service_account": return "builder@acme.iam.gserviceaccount.com"
    default:
        if path.hasSuffix("ipCidrs[0]") { return "10.0.0.0/16" }
        if path.hasSuffix("ipCidrs[1]") { return "100.64.0.0/16" }
        return "unknown-\(key)"
    }
}

struct PresetTests {
    static let presets = ["default", "eks", "aks", "gke", "openshift", "data-plane", "data-plane-eks"]

    @Test func theDocumentedPresetsAreBuiltIn() {
        #expect(PresetCatalog.names.sorted() == Self.presets.sorted())
    }

    @Test func theSchemaKnowsEveryPresetName() throws {
        let e = try KeyExplanation.explain("preset").get()
        #expect(e.allowedValues.sorted() == PresetCatalog.names.sorted())
    }

    @Test(arguments: presets)
    func initThenFillingThePlaceholdersWithSetGivesAValidConfig(_ preset: String) throws {
        let blank = try ConfigInit.generate(.init(preset: preset))
        #expect(blank.diagnostics.isEmpty, "\(preset): \(blank.diagnostics.map(\.message))")
        #expect(!blank.placeholders.isEmpty)
        #expect(blank.text.hasPrefix("# yaml-language-server: $schema=install-config-1.14.schema.json\n"))
        // The blank config is invalid exactly because of its placeholders, each reported at its line.
        let blankReport = ConfigValidation.validate(ConfigFile.parse(blank.text, name: "\(preset).yaml"))
        #expect(blankReport.diagnostics.allSatisfy { $0.code == ConfigCode.placeholder && $0.location != nil })
        #expect(blankReport.diagnostics.count == blank.placeholders.count)

        let sets = blank.placeholders.map { "\($0)=\(fillValue(for: $0))" }
        let filled = try ConfigInit.generate(.init(preset: preset, sets: sets))
        #expect(filled.placeholders.isEmpty)
        #expect(filled.diagnostics.isEmpty, "\(preset): \(filled.diagnostics.map { "\($0.path): \($0.message)" })")
        let report = ConfigValidation.validate(ConfigFile.parse(filled.text, name: "\(preset).yaml"))
        #expect(report.isValid, "\(preset): \(report.diagnostics.map(\.message))")
    }

    @Test func dataPlanePresetsLeaveOutTheControlPlaneSections() throws {
        for preset in ["data-plane", "data-plane-eks"] {
            let text = try ConfigInit.generate(.init(preset: preset)).text
            let root = try #require(ConfigFile.parse(text, name: "dp.yaml").root)
            let view = ConfigView(root)
            #expect(view.isDataPlaneOnly)
            #expect(view.string("data_plane.type") == "remote")
            for section in ["email_notifications", "intercom", "mixpanel", "blob_storage", "internal_docker_registry",
                            "external_docker_registry", "monitoring"] {
                #expect(!view.has(section), "\(preset) keeps \(section)")
            }
        }
        let eks = try #require(ConfigFile.parse(try ConfigInit.generate(.init(preset: "data-plane-eks")).text, name: "x").root)
        #expect(ConfigView(eks).string("storage_classes.shared.type") == "efs")
    }

    @Test func cloudPresetsCarryTheirDocumentedLoadBalancerValues() throws {
        func annotations(_ preset: String) throws -> Instance? {
            let root = try #require(ConfigFile.parse(try ConfigInit.generate(.init(preset: preset)).text, name: "x").root)
            return root.value(at: KeyPath(parsing: "release_overrides.nginx-ingress.chart_values.controller.service.annotations"))
        }
        #expect(try annotations("eks")?["service.beta.kubernetes.io/aws-load-balancer-type"]?.text == "nlb")
        #expect(try annotations("aks")?["service.beta.kubernetes.io/azure-load-balancer-health-probe-request-path"]?.text == "/healthz")
        #expect(try annotations("gke")?["cloud.google.com/backend-config"]?.text?.contains("nginx-ingress-controller") == true)
    }

    @Test func registryChoicePerPreset() throws {
        func view(_ preset: String) throws -> ConfigView {
            ConfigView(try #require(ConfigFile.parse(try ConfigInit.generate(.init(preset: preset)).text, name: "x").root))
        }
        #expect(try view("eks").has("internal_docker_registry.s3_override"))
        for preset in ["aks", "gke"] {
            let v = try view(preset)
            #expect(!v.has("internal_docker_registry") || v.isNull("internal_docker_registry"))
            #expect(v.string("external_docker_registry")?.hasPrefix(Placeholder.prefix) == true)
        }
        #expect(try view("openshift").string("storage_classes.block.type") == "ceph-rdb")
    }

    @Test func offlineInitUsesOnlyThePrivateRegistry() throws {
        let out = try ConfigInit.generate(.init(preset: "eks", offline: .init(
            imageRegistry: "registry.example.com:5000", agentRepository: "registry.example.com:5000/custom-repository")))
        let root = try #require(ConfigFile.parse(out.text, name: "x").root)
        let view = ConfigView(root)
        #expect(view.string("offline.image_registry") == "registry.example.com:5000")
        #expect(view.string("offline.agent_repository") == "registry.example.com:5000/custom-repository")
        #expect(view.list("helm.image_registries").compactMap { $0["server"]?.text } == ["registry.example.com:5000"])
        #expect(!out.text.contains("quay.io"))
        #expect(out.placeholders.contains("helm.image_registries[0].username"))
        #expect(out.text.contains("--offline --image-registry registry.example.com:5000"))
    }

    @Test func anUnknownPresetSuggestsTheClosestOne() {
        #expect(throws: PresetCatalog.Failure.self) { try PresetCatalog.layers("ekss") }
        do { _ = try PresetCatalog.layers("ekss") } catch let f as PresetCatalog.Failure {
            #expect(f.diagnostic.help == "did you mean `eks`?")
        } catch {}
    }
}
