import Apply
import Foundation
import Kube
import Manifests
import Schema
import TestSupport
import Testing
@testable import Preflight

/// The upgrade path's rules, the per-release comparison of two versions' renders, and the pre-upgrade checks on a
/// cluster kiln installed.
@Suite struct UpgradeTests {
    @Test func downgradesAreRefusedUnlessAllowed() {
        #expect(UpgradePath(from: "6.1.2", to: "6.1.0", allowDowngrade: false).refusal?.contains("--allow-downgrade") == true)
        let allowed = UpgradePath(from: "6.1.2", to: "6.1.0", allowDowngrade: true)
        #expect(allowed.refusal == nil && allowed.direction == .downgrade)
        #expect(UpgradePath(from: "6.1.0", to: "6.2.0", allowDowngrade: false).refusal?.contains("not one") == true)
        #expect(UpgradePath(from: "six", to: "6.1.2", allowDowngrade: false).refusal != nil)
    }

    @Test func preconditionsFollowTheUpgradePage() {
        let recent = UpgradePath(from: "6.1.0", to: "6.1.2", allowDowngrade: false)
        #expect(recent.preconditions.map(\.step).contains { $0.contains("stalled or drifted") })
        #expect(!recent.preconditions.contains { $0.step.contains("maintenance mode") })
        #expect(recent.migration == ["version: 6.1.0 → 6.1.2"])
        let stale = UpgradePath(from: "6.1.0", to: "6.1.2", allowDowngrade: false, configVersion: "6.1.0")
        #expect(stale.migration.last?.hasPrefix("set `version: 6.1.2` in the config file (it says 6.1.0)") == true)
        let old = UpgradePath(from: "5.2.1", to: "6.1.2", allowDowngrade: false)
        #expect(old.preconditions.contains { $0.step.contains("maintenance mode") && $0.step.contains("5.3.0") })
        #expect(!old.preconditions.contains { $0.step.contains("stalled") }, "the drift check is for upgrades from 6.0.0 on")
        #expect(old.preconditions.contains { $0.step.contains("skipping minor versions") })
        let kubernetes = UpgradePath(from: "6.1.1", to: "6.1.2", allowDowngrade: false, kubernetesUpgrade: true)
        #expect(kubernetes.preconditions.contains { $0.step.contains("maintenance mode") && $0.step.contains("Kubernetes") })
        #expect(kubernetes.preconditions.contains { $0.step.contains("upgrade the infrastructure first") })
    }

    @Test func aDataPlaneMayDifferFromItsControlPlaneByPatchOnly() {
        #expect(PatchSkew.finding(dataPlane: "6.1.2", controlPlane: "6.1.0").status == .pass)
        #expect(PatchSkew.finding(dataPlane: "6.1.2", controlPlane: "6.2.0").status == .fail)
        #expect(PatchSkew.finding(dataPlane: "6.1.2", controlPlane: nil).status == .warn)
    }

    @Test func releaseChangesCompareBothVersionsRenders() {
        let old = Loaded("eks.yaml", sets: ["version=6.1.0"]).result, new = Loaded("eks.yaml").result
        let changes = ReleaseChange.between(old, new)
        let keycloak = changes.first { $0.release == "keycloak" }
        #expect(keycloak?.images.contains { $0.contains("keycloak.keycloak:26.1.4 → quay.io/domino/keycloak.keycloak:26.2.5") } == true, "\(keycloak?.images ?? [])")
        #expect(changes.contains { $0.images.contains { $0.contains("nucleus:6.1.0 → quay.io/domino/nucleus:6.1.2") } })
        #expect(ReleaseChange.between(new, new).isEmpty)
        let extra = ManifestObject(apiVersion: "v1", kind: "ConfigMap", name: "extra", namespace: "domino-platform", body: [], release: "nucleus")
        let added = Loaded("eks.yaml", adding: [extra]).result
        #expect(ReleaseChange.between(new, added).map(\.added) == [["ConfigMap/domino-platform/extra"]])
        #expect(ReleaseChange.between(added, new).map(\.removed) == [["ConfigMap/domino-platform/extra"]])
    }

    // MARK: checks on the cluster

    func installed(_ version: String) async throws -> (TestAPIServer, ResourceManager) {
        let server = try TestAPIServer()
        let manager = ResourceManager(client: client(server))
        var options = ApplyOptions()
        // The test server reports every object healthy: nothing to wait for (and no wait bound to miss on a loaded machine).
        options.wait = false
        let loaded = Loaded("data-plane.yaml", sets: ["version=\(version)"])
        _ = try await manager.apply(loaded.result, inventory: loaded.inventory, options: options)
        return (server, manager)
    }

    func plan(_ manager: ResourceManager, from: String? = nil, to: String = "6.1.2", controlPlane: String? = nil) async throws -> UpgradePlanner.Plan {
        let planner = UpgradePlanner(manager: manager)
        let target = Loaded("data-plane.yaml", sets: ["version=\(to)"])
        let installed = try await planner.installedVersions(target.inventory)
        let source = from ?? installed.last ?? ""
        return try await planner.plan(config: target.config, old: Loaded("data-plane.yaml", sets: ["version=\(source)"]).result, new: target.result,
                                      from: source, fromSource: from == nil ? "cluster" : "--from", installed: installed, inventory: target.inventory,
                                      allowDowngrade: false, controlPlaneVersion: controlPlane)
    }

    func status(_ plan: UpgradePlanner.Plan, _ check: String) -> [CheckStatus] { plan.checks.filter { $0.check == check }.map(\.status) }

    @Test func aHealthyInstallMayUpgrade() async throws {
        let (server, manager) = try await installed("6.1.1")
        defer { server.stop() }
        #expect(try await UpgradePlanner(manager: manager).installedVersions(Loaded("data-plane.yaml").inventory) == ["6.1.1"])
        let plan = try await plan(manager, controlPlane: "6.1.2")
        #expect(!plan.refused, "\(plan.checks.filter { $0.status != .pass })")
        #expect(plan.path.from == "6.1.1" && plan.fromSource == "cluster")
        #expect(status(plan, "releases-healthy") == [.pass, .pass])
        #expect(status(plan, "data-plane-skew") == [.pass])
        #expect(!plan.releases.isEmpty, "images move from 6.1.1 to 6.1.2")
    }

    @Test func aDriftedReleaseRefusesTheUpgrade() async throws {
        let (server, manager) = try await installed("6.1.1")
        server.write(by: "kubectl-edit", key: "apps/v1/deployments/domino-compute/auth-proxy", path: ["spec", "replicas"], value: .number(7))
        let plan = try await plan(manager)
        #expect(status(plan, "releases-healthy") == [.pass, .fail])
        #expect(plan.refused)
    }

    @Test func aStalledReleaseRefusesTheUpgrade() async throws {
        let (server, manager) = try await installed("6.1.1")
        server.statusScript = { key, _, _ in
            key == "apps/v1/deployments/domino-compute/auth-proxy" ? .object([("replicas", .number(1)), ("readyReplicas", .number(0))]) : nil
        }
        let plan = try await plan(manager)
        #expect(status(plan, "releases-healthy").first == .fail)
    }

    @Test func aHalfFinishedUpgradeIsFound() async throws {
        let (server, manager) = try await installed("6.1.1")
        server.write(by: "kiln", key: "apps/v1/deployments/domino-compute/auth-proxy", path: ["metadata", "labels", "app.kubernetes.io/version"],
                     value: .string("6.1.2"))
        let plan = try await plan(manager)
        #expect(status(plan, "installed-version") == [.fail])
        #expect(plan.path.from == "6.1.2", "the newest version found is the one planned from")
    }

    @Test func theSkewRuleAndTheDowngradeRuleRefuse() async throws {
        let (server, manager) = try await installed("6.1.2")
        defer { server.stop() }
        #expect(status(try await plan(manager, controlPlane: "6.2.0"), "data-plane-skew") == [.fail])
        let down = try await plan(manager, to: "6.1.0")
        #expect(status(down, "upgrade-path") == [.fail] && down.refused)
    }

    @Test func nothingInstalledIsReported() async throws {
        let server = try TestAPIServer()
        let plan = try await plan(ResourceManager(client: client(server)), from: "6.1.0")
        #expect(status(plan, "installed-version") == [.pass])
        #expect(status(plan, "releases-healthy") == [.warn])
    }

    @Test func aBackupWithinADayPasses() async throws {
        let server = try TestAPIServer()
        server.createNamespace("domino-platform")
        let planner = UpgradePlanner(manager: ResourceManager(client: client(server)))
        let eks = Loaded("eks.yaml")
        #expect(try await planner.backup(eks.config, now: Date()).map(\.status) == [.warn])
        let formatter = ISO8601DateFormatter()
        let now = Date()
        server.put("batch/v1/cronjobs/domino-platform/domino-workbench-backup", .object([
            ("apiVersion", .string("batch/v1")), ("kind", .string("CronJob")),
            ("metadata", .object([("name", .string("domino-workbench-backup")), ("namespace", .string("domino-platform"))])),
            ("status", .object([("lastSuccessfulTime", .string(formatter.string(from: now.addingTimeInterval(-3600))))])),
        ]))
        #expect(try await planner.backup(eks.config, now: now).map(\.status) == [.pass])
        #expect(try await planner.backup(eks.config, now: now.addingTimeInterval(3 * 86400)).map(\.status) == [.warn])
    }
}
