import ArgumentParser
import Bundle
import Foundation
import Preflight

struct PreflightCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preflight",
        abstract: "Check a cluster before installing: versions, node pools, storage, CNI, cert-manager, namespaces, API groups, permissions.",
        discussion: """
            One row per check: PASS, WARN or FAIL, what was found, what to do, and the page of the docs (under docs/) \
            that states the requirement. The rules: \(PreflightChecks.all.map(\.id).joined(separator: ", ")). `kiln \
            apply` runs \(PreflightChecks.all.filter(\.gatesApply).map(\.id).joined(separator: ", ")) first \
            (--skip-preflight skips them). An offline config's private registry is asked for every image (one \
            manifest request each) unless --skip-registry.

            Exit codes: 0 no check failed (warnings allowed), 1 a check failed or the config is invalid, 3 cluster \
            unreachable or refusing the credentials.
            """
    )

    @OptionGroup var target: ClusterCommandOptions

    @Flag(help: "Do not ask an offline install's private registry for its images.")
    var skipRegistry = false

    func run() async throws {
        let platform = try PlatformTarget(target.file, layers: target.layers, access: target.access)
        var registry: RegistrySession?
        if !skipRegistry {
            let transfer = try RegistryTransferOptions.parse([])
            registry = RegistrySession(options: transfer.options(config: platform.config), credentials: try transfer.credentials(config: platform.config))
        }
        var preflight = Preflight(client: platform.manager.client)
        preflight.concurrency = max(1, target.tuning.concurrency)
        let report: PreflightReport
        do {
            report = try await preflight.run(config: platform.config, result: platform.result, inventory: platform.inventory, registry: registry)
        } catch {
            throw clusterFailure(error)
        }
        PreflightOutput.print(report, format: target.format)
        if report.failed { throw ExitCode(1) }
    }
}

/// How preflight rows print: the text table (a row per finding, then what to do and the page), or JSON.
enum PreflightOutput {
    struct JSONReport: Encodable {
        let checks: [CheckResult]
        let passed: Int
        let warnings: Int
        let failed: Int
    }

    static func print(_ report: PreflightReport, format: OutputFormat) {
        if format == .json {
            printJSON(JSONReport(checks: report.results, passed: report.count(.pass), warnings: report.count(.warn), failed: report.count(.fail)))
            return
        }
        Swift.print(text(report.results))
        Swift.print("preflight: \(summary(report))")
    }

    static func summary(_ report: PreflightReport) -> String {
        let warnings = report.count(.warn)
        return "\(report.count(.pass)) passed, \(warnings) warning\(warnings == 1 ? "" : "s"), \(report.count(.fail)) failed"
    }

    /// `STATUS  CHECK  FOUND`, each row followed by `do:` when there is something to do; a check's page (`doc:`)
    /// after its last row.
    static func text(_ results: [CheckResult]) -> String {
        let width = max("CHECK".count, results.map(\.check.count).max() ?? 0)
        let indent = String(repeating: " ", count: "STATUS  ".count + width + 2)
        var lines = ["STATUS  " + "CHECK".padding(toLength: width, withPad: " ", startingAt: 0) + "  FOUND"]
        for (i, result) in results.enumerated() {
            lines.append(result.status.rawValue.padding(toLength: 6, withPad: " ", startingAt: 0) + "  "
                         + result.check.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + result.found)
            if !result.action.isEmpty { lines.append(indent + "do:  " + result.action) }
            if i + 1 == results.count || results[i + 1].check != result.check { lines.append(indent + "doc: " + result.doc) }
        }
        return lines.joined(separator: "\n")
    }
}
