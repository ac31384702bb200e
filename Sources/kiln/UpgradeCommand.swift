import Apply
import ArgumentParser
import Config
import Foundation
import Manifests
import Platform
import Preflight

struct UpgradeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "upgrade",
        abstract: "Plan and run a platform upgrade: the path, what changes per release, and the checks the docs ask for.",
        subcommands: [UpgradePlanCommand.self, UpgradeApplyCommand.self]
    )
}

/// What `upgrade plan` and `upgrade apply` both take beyond the config and cluster.
struct UpgradeOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The platform version to go to.", valueName: "version"))
    var to: String

    @Option(help: ArgumentHelp("The installed version (default: the version kiln's workloads in the cluster carry).", valueName: "version"))
    var from: String?

    @Flag(help: "Allow going to an older version.")
    var allowDowngrade = false

    @Option(help: ArgumentHelp("For a data plane: its control plane's version (they may differ by patch only).", valueName: "version"))
    var controlPlaneVersion: String?

    /// The plan for `file` against the cluster: the config rendered at `--from` (or the installed version) and at `--to`.
    func plan(_ file: String, layers: LayerOptions, access: ClusterAccess) async throws -> UpgradePlanner.Plan {
        // What the file itself says, before --to overrides it.
        let configVersion = try validConfig(layers.request(file), color: false).string(.version)
        var target = layers
        target.sets.append("version=\(to)")
        let new = try PlatformTarget(file, layers: target, access: access)
        let planner = UpgradePlanner(manager: new.manager)
        do {
            let installed = try await planner.installedVersions(new.inventory)
            guard let from = from ?? installed.last else {
                printError("kiln has installed no platform in this cluster (no workloads of its inventory in \(new.inventory.namespace)); give --from")
                throw ExitCode(1)
            }
            var old = layers
            old.sets.append("version=\(from)")
            // The installed version's render: a version schema 1.14 does not know renders as the target does (no diff).
            let oldResult = PlatformVersion.supported.contains(from) ? try PlatformTarget(file, layers: old, access: access).result : new.result
            return try await planner.plan(config: new.config, old: oldResult, new: new.result, from: from,
                                          fromSource: self.from == nil ? "cluster" : "--from", installed: installed, inventory: new.inventory,
                                          allowDowngrade: allowDowngrade, controlPlaneVersion: controlPlaneVersion,
                                          configVersion: configVersion)
        } catch {
            throw clusterFailure(error)
        }
    }
}

struct UpgradePlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show the upgrade path, its preconditions, the config migration, each release's changes and the pre-upgrade checks.",
        discussion: """
            The installed version is the one kiln's workloads in the cluster carry (app.kubernetes.io/version), or \
            --from. Both versions are rendered from the config and compared: per release, the images that change and \
            the objects added and removed. The checks: the path (a downgrade is refused without --allow-downgrade), \
            the cluster's Kubernetes version against the target's support matrix, no half-finished upgrade, no stalled \
            or drifted release, a recent backup, and for a data plane the patch-skew rule against its control plane.

            Exit codes: 0 the upgrade may go ahead (warnings allowed), 1 refused or a check failed, 3 cluster unreachable.
            """
    )

    @OptionGroup var target: ClusterCommandOptions
    @OptionGroup var upgrade: UpgradeOptions

    func run() async throws {
        let plan = try await upgrade.plan(target.file, layers: target.layers, access: target.access)
        UpgradeOutput.print(plan, format: target.format)
        if plan.refused { throw ExitCode(1) }
    }
}

struct UpgradeApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Run the upgrade plan's checks, then apply the config at the target version exactly as `kiln apply` does.",
        discussion: "Takes every flag `kiln apply` takes. Nothing is sent when the plan is refused or one of its checks fails."
    )

    @OptionGroup var apply: ApplyCommand
    @OptionGroup var upgrade: UpgradeOptions

    func run() async throws {
        let plan = try await upgrade.plan(apply.target.file, layers: apply.target.layers, access: apply.target.access)
        if plan.refused {
            UpgradeOutput.print(plan, format: apply.target.format)
            printError("the upgrade plan is refused; nothing was sent to the cluster")
            throw ExitCode(1)
        }
        var applying = apply
        applying.target.layers.sets.append("version=\(upgrade.to)")
        try await applying.run()
    }
}

enum UpgradeOutput {
    static func print(_ plan: UpgradePlanner.Plan, format: OutputFormat) {
        if format == .json {
            printJSON(plan)
            return
        }
        var lines = ["upgrade \(plan.path.from) → \(plan.path.to) (\(plan.path.direction.rawValue); from \(plan.fromSource))"]
        if let refusal = plan.path.refusal { lines.append("refused: \(refusal)") }
        lines.append("")
        lines.append("before you upgrade:")
        lines += plan.path.preconditions.map { "  - \($0.step) [\($0.doc)]" }
        lines.append("")
        lines.append("config migration: " + (plan.path.migration.isEmpty ? "none" : plan.path.migration.joined(separator: "; ")))
        lines.append("")
        lines.append(plan.releases.isEmpty ? "releases: no change" : "releases that change:")
        for release in plan.releases {
            lines.append("  \(release.release): \(release.images.count) image(s), \(release.added.count) added, \(release.removed.count) removed")
            lines += release.images.map { "    image   \($0)" } + release.added.map { "    added   \($0)" } + release.removed.map { "    removed \($0)" }
        }
        lines.append("")
        lines.append(PreflightOutput.text(plan.checks))
        lines.append("")
        lines.append(plan.refused ? "upgrade: REFUSED" : "upgrade: may go ahead")
        Swift.print(lines.joined(separator: "\n"))
    }
}
