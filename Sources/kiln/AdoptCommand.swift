import ArgumentParser
import Foundation
import Preflight

struct AdoptCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "adopt",
        abstract: "Take over a platform Helm (or the reference's agent) installed: the objects the render also holds become kiln's.",
        discussion: """
            An object is Helm's when it carries the meta.helm.sh/release-name annotation, the label \
            app.kubernetes.io/managed-by: Helm, or fields owned by the `helm` field manager. kiln applies its own \
            version of each such object the render holds with server-side apply, taking the fields Helm owned \
            (force), labels it a member of kiln's inventory, and removes Helm's release annotations and chart label. \
            Helm's objects of the same kinds and namespaces that the render does not hold are listed as left, and \
            deleted only with --prune. --dry-run prints the same report and changes nothing. `kiln apply --adopt` \
            does this before applying.

            Exit codes: 0 adopted (or nothing to adopt), 1 invalid config or a refused write, 3 cluster unreachable.
            """
    )

    @OptionGroup var target: ClusterCommandOptions

    @Flag(help: "Report what would be adopted, left and pruned; change nothing.")
    var dryRun = false

    @Flag(help: "Delete Helm's objects the render does not hold.")
    var prune = false

    func run() async throws {
        let platform = try PlatformTarget(target.file, layers: target.layers, access: target.access)
        let report: Adoption.Report
        do {
            var adoption = Adoption(client: platform.manager.client)
            adoption.concurrency = max(1, target.tuning.concurrency)
            report = try await adoption.run(platform.result, inventory: platform.inventory, dryRun: dryRun, prune: prune)
        } catch {
            throw clusterFailure(error)
        }
        if target.format == .json { printJSON(report) } else { print(AdoptOutput.text(report)) }
    }
}

enum AdoptOutput {
    static func text(_ report: Adoption.Report) -> String {
        func release(_ object: Adoption.Adopted) -> String { object.release.map { " (Helm release \($0))" } ?? "" }
        let verb = report.dryRun ? "would adopt" : "adopted"
        var lines = report.adopted.map { "\(verb)  \($0.object)\(release($0))" }
        lines += report.left.map { object in
            (report.pruned.contains(object.object) ? (report.dryRun ? "would prune  " : "pruned  ") : "left  ")
                + object.object + release(object) + (report.pruned.contains(object.object) ? "" : ": not in the render (kept; --prune deletes it)")
        }
        let pruneNote = report.pruned.isEmpty ? "" : ", \(report.pruned.count) \(report.dryRun ? "to prune" : "pruned")"
        lines.append("\(report.dryRun ? "dry run: " : "")adopt: \(report.adopted.count) taken over from Helm, \(report.left.count) of Helm's left\(pruneNote)")
        return lines.joined(separator: "\n")
    }
}
