import Config
import Foundation
import Testing

struct MigrationTests {
    func migrate(_ name: String) throws -> ConfigMigration.Result {
        try ConfigMigration.migrate(ConfigFile.load(path: Paths.tests.appendingPathComponent("Fixtures/legacy/\(name)").path))
    }

    func change(_ r: ConfigMigration.Result, _ path: String) -> MigrationChange? {
        r.changes.first { $0.path == path }
    }

    @Test func theSchema10ExampleFromTheAKSPageMigratesToAValidConfig() throws {
        let r = try migrate("aks-schema-1.0.yaml")
        #expect(r.from == "1.0")
        let report = ConfigValidation.validate(ConfigFile.parse(try #require(r.text), name: "aks.yaml"))
        #expect(report.isValid, "\(report.diagnostics.map { "\($0.path): \($0.message)" })")
        #expect(change(r, "ingress_controller.create")?.to == "ingress_controller.install")
        #expect(change(r, "ingress_controller.create")?.line == 27)
        #expect(change(r, "telemetry.intercom")?.kind == .moved)
        #expect(change(r, "private_docker_registry")?.to == "helm.image_registries[0]")
        #expect(change(r, "helm.tiller_image")?.kind == .removed)
        #expect(change(r, "enable_pod_security_policies")?.kind == .removed)
        #expect(change(r, "autoscaler")?.kind == .removed)
        #expect(change(r, "extended_catalog")?.kind == .added)
        #expect(change(r, "email_notifications.encryption")?.to == "email_notifications.enable_ssl")
        #expect(change(r, "helm.image_registries[0].password")?.reason.contains("${env:QUAY_PASSWORD}") == true)
        #expect(r.unmapped.map(\.path) == ["pod_cidr"])
        let root = try #require(ConfigFile.parse(r.text!, name: "x").root)
        let view = ConfigView(root)
        #expect(view.bool("extended_catalog"))
        #expect(view.bool("email_notifications.enable_ssl"))
        #expect(view.string("internal_docker_registry.azure_blobs_override.container") == "docker")
    }

    @Test func a4xEKSConfigMigratesAndListsWhatItCouldNotMap() throws {
        let r = try migrate("eks-schema-1.4.yaml")
        let report = ConfigValidation.validate(ConfigFile.parse(try #require(r.text), name: "eks.yaml"))
        #expect(report.isValid, "\(report.diagnostics.map { "\($0.path): \($0.message)" })")
        #expect(Set(r.unmapped.map(\.path)) == ["pod_cidr", "spotinst_controller", "git"])
        #expect(change(r, "mixpanel.token")?.kind == .removed)
        #expect(change(r, "autoscaler.enabled")?.kind == .removed)
        #expect(change(r, "autoscaler.groups")?.reason == "dropped 1 group(s) without a name")
        #expect(change(r, "version")?.reason.hasPrefix("`5.0.1` → `6.1.2`") == true)
        // The secret behind the removed Mixpanel token never shows in the change list.
        #expect(!r.changes.map(\.description).joined().contains("abc123def456"))
    }

    @Test func a511ConfigOnlyLosesItsMixpanelToken() throws {
        let r = try migrate("domino-schema-1.9.yaml")
        #expect(r.changes.map(\.path) == ["schema", "version", "mixpanel.token"])
        #expect(change(r, "extended_catalog") == nil)
        #expect(ConfigValidation.validate(ConfigFile.parse(try #require(r.text), name: "x")).isValid)
    }

    @Test func migrationIsIdempotent() throws {
        for name in ["aks-schema-1.0.yaml", "eks-schema-1.4.yaml", "domino-schema-1.9.yaml"] {
            let once = try migrate(name)
            let twice = try ConfigMigration.migrate(ConfigFile.parse(try #require(once.text), name: "once.yaml"))
            #expect(twice.alreadyCurrent)
            #expect(twice.changes.isEmpty)
        }
        let current = try ConfigMigration.migrate(ConfigFile.load(path: Paths.examples.appendingPathComponent("eks.yaml").path))
        #expect(current.alreadyCurrent)
    }

    @Test func unknownVersionsAreRefused() {
        #expect(throws: ConfigMigration.Failure.self) { try ConfigMigration.migrate(ConfigFile.parse("schema: '3.0'\n", name: "x")) }
        #expect(throws: ConfigMigration.Failure.self) { try ConfigMigration.migrate(ConfigFile.parse("name: x\n", name: "x")) }
    }
}
