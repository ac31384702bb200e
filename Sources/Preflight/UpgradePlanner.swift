import Apply
import Config
import Foundation
import Kube
import Manifests
import Platform
import Schema

/// `kiln upgrade plan`: the path from the installed version to the target, what each release changes (both
/// versions rendered and compared), and the checks the docs ask for before an upgrade, judged on the cluster.
public struct UpgradePlanner: Sendable {
    public let manager: ResourceManager

    public init(manager: ResourceManager) { self.manager = manager }

    public struct Plan: Sendable, Codable {
        public let path: UpgradePath
        /// Where `from` came from: `cluster` (the live objects' version labels) or `--from`.
        public let fromSource: String
        public let releases: [ReleaseChange]
        public let checks: [CheckResult]

        /// The upgrade must not go ahead: the path is refused or a check failed.
        public var refused: Bool { path.refusal != nil || checks.contains { $0.status == .fail } }
    }

    /// The platform versions the cluster's workloads carry (`app.kubernetes.io/version` of kiln's Deployments and
    /// StatefulSets), sorted: empty when kiln installed nothing, several when an upgrade stopped half-way.
    public func installedVersions(_ inventory: ApplySet) async throws -> [String] {
        var versions = Set<String>()
        for kind in ["Deployment", "StatefulSet"] {
            let items = try await manager.client.list(apiVersion: "apps/v1", kind: kind, namespace: nil,
                                                      labelSelector: "\(ApplySet.partOfLabel)=\(inventory.id)")
            versions.formUnion(items.compactMap { $0.label("app.kubernetes.io/version") })
        }
        return versions.sorted { (PlatformVersionNumber($0) ?? PlatformVersionNumber("0.0.0")!) < (PlatformVersionNumber($1) ?? PlatformVersionNumber("0.0.0")!) }
    }

    /// `old` and `new` are the config rendered at the installed and the target version; `config` is the target's
    /// (schema-typed). `installed` is what `installedVersions` found.
    public func plan(config: ConfigView, old: RenderResult, new: RenderResult, from: String, fromSource: String, installed: [String],
                     inventory: ApplySet, allowDowngrade: Bool, controlPlaneVersion: String?, configVersion: String? = nil,
                     now: Date = Date()) async throws -> Plan {
        let to = config.string(.version) ?? ""
        let version = try await manager.client.serverVersion()
        let target = PreflightInput(config: config, result: new, sizing: SizingPlan(config), facts: ClusterFacts(version: version), inventory: inventory)
        let kubernetes = VersionRule.evaluate(target)
        let path = UpgradePath(from: from, to: to, allowDowngrade: allowDowngrade, kubernetesUpgrade: kubernetes.contains { $0.status == .fail },
                                configVersion: configVersion)
        var checks: [CheckResult] = []
        func add(_ id: String, _ doc: String, _ findings: [Finding]) {
            checks += findings.map { CheckResult(check: id, status: $0.status, found: $0.found, action: $0.action, doc: doc) }
        }
        add("upgrade-path", UpgradePath.page, [path.refusal.map { .fail("\(from) → \(to): \($0)", "choose a version kiln may go to") }
            ?? .pass("\(from) → \(to) (\(path.direction.rawValue))")])
        add("kubernetes-version", SupportMatrix.page, kubernetes)
        add("installed-version", UpgradePath.page, [installed.count > 1
            ? .fail("the platform's workloads run versions \(installed.joined(separator: ", ")): an earlier upgrade did not finish",
                    "finish it (`kiln apply` at \(installed.last!)) before planning another")
            : .pass(installed.first.map { "the platform runs \($0)" } ?? "kiln has installed nothing here (from \(fromSource))")])
        if installed.isEmpty {
            add("releases-healthy", UpgradePath.page, [.warn("nothing installed by kiln to check for stalled or drifted releases",
                                                             "if Helm or the agent installed it, `kiln adopt` it first")])
        } else {
            add("releases-healthy", UpgradePath.page, try await health(old, inventory: inventory))
        }
        add("backup", "admin_guide/operations/backup-restore/run-a-manual-backup.txt", try await backup(config, now: now))
        if config.isDataPlaneOnly {
            add("data-plane-skew", UpgradePath.dataPlanePage, [PatchSkew.finding(dataPlane: to, controlPlane: controlPlaneVersion)])
        }
        return Plan(path: path, fromSource: fromSource, releases: ReleaseChange.between(old, new), checks: checks)
    }

    /// No stalled release (every one ready) and none drifted from the installed version's render.
    func health(_ old: RenderResult, inventory: ApplySet) async throws -> [Finding] {
        let stalled = try await manager.status(inventory: inventory).filter { !$0.ready }
        let drifted = try await manager.drift(old, inventory: inventory, ignore: []).map(\.object.description).sorted()
        var findings: [Finding] = []
        findings.append(stalled.isEmpty ? .pass("every release is ready")
            : .fail("stalled: " + stalled.map { "\($0.release) (\($0.reason))" }.joined(separator: ", "),
                    "fix them first (`kiln status` says why); an upgrade over a stalled release stalls too"))
        findings.append(drifted.isEmpty ? .pass("no object drifted from the installed version's render")
            : .fail("drifted: " + drifted.prefix(8).joined(separator: ", ") + (drifted.count > 8 ? ", …" : ""),
                    "put the out-of-band changes into the config, or undo them (`kiln drift --correct`), before upgrading"))
        return findings
    }

    /// The docs ask for a backup before an upgrade: the daily backup job's last success, within a day, will do.
    func backup(_ config: ConfigView, now: Date) async throws -> [Finding] {
        if config.isDataPlaneOnly { return [.pass("not needed: a data plane holds no platform data")] }
        let namespace = config.string(.namespacesPlatformName) ?? "domino-platform"
        let job = try await manager.client.get(ObjectReference(apiVersion: "batch/v1", kind: "CronJob", namespace: namespace,
                                                               name: "domino-workbench-backup"))
        let formatter = ISO8601DateFormatter()
        if let text = job?["status"]?["lastSuccessfulTime"]?.stringValue, let last = formatter.date(from: text) {
            let hours = Int(now.timeIntervalSince(last) / 3600)
            if hours < 24 { return [.pass("domino-workbench-backup last succeeded \(text) (\(hours) h ago)")] }
            return [.warn("domino-workbench-backup last succeeded \(text), \(hours) h ago", "run a manual backup before upgrading")]
        }
        return [.warn("no successful run of domino-workbench-backup in \(namespace)", "run a manual backup before upgrading")]
    }
}
