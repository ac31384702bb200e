import Apply
import ArgumentParser
import Foundation
import Manifests

struct DiffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show what `kiln apply` would change: a server-side dry run compared with the live objects.",
        discussion: """
            Every rendered object is sent as a server-side dry run and compared with the live one, leaving out what the \
            server owns (managedFields, resourceVersion, uid, generation, timestamps, status); changes print as a unified \
            diff per object. Secret values never print: each shows as `***`, a changed one as `*** (before)` and `*** (after)`. A conflict with another field manager shows as a conflict (as apply would stop), a change of a field that cannot change in place as needing --force. Objects apply would \
            create show in full; objects --prune would delete are listed.

            Exit codes, as `kubectl diff`: 0 no changes, 1 changes, 2 invalid config or a refused request, 3 cluster \
            unreachable.
            """
    )

    @OptionGroup var target: ClusterCommandOptions

    func run() async throws {
        let diffs: [ObjectDiff]
        do {
            let (result, manager, inventory) = try target.connect()
            diffs = try await manager.diff(result, inventory: inventory, options: target.tuning.options())
        } catch {
            throw differenceExitCode(clusterFailure(error))
        }
        printDiffs(diffs, format: target.format)
        throw ExitCode(diffs.isEmpty ? 0 : 1)
    }
}

/// For diff and drift, 1 means "differences found", so failures that would exit 1 exit 2 instead (as `kubectl diff`).
func differenceExitCode(_ code: ExitCode) -> ExitCode {
    code.rawValue == 1 ? ExitCode(2) : code
}

/// Object diffs as text (a unified diff per object, then a count) or as a JSON array.
func printDiffs(_ diffs: [ObjectDiff], format: OutputFormat) {
    struct Line: Encodable {
        let object: String
        let action: String
        let diff: String
    }
    if format == .json {
        printJSON(diffs.map { Line(object: $0.object.description, action: $0.action.rawValue, diff: $0.text) })
        return
    }
    for diff in diffs {
        switch diff.action {
        case .create, .update: print(diff.text, terminator: "")
        case .delete: print("--- live \(diff.object)\n+++ /dev/null (pruned by apply --prune)")
        case .conflict: print("!!! \(diff.object): apply would stop on a conflict\n\(diff.text)", terminator: "")
        case .recreate: print("!!! \(diff.object): needs `kiln apply --force` (delete and recreate): \(diff.text)", terminator: "")
        }
    }
    let count = { (action: ObjectDiff.Action) in diffs.filter { $0.action == action }.count }
    var summary = "\(count(.create)) to create, \(count(.update)) to change, \(count(.delete)) to prune"
    if count(.conflict) > 0 { summary += ", \(count(.conflict)) in conflict" }
    if count(.recreate) > 0 { summary += ", \(count(.recreate)) to recreate (--force)" }
    FileHandle.standardError.write(Data((diffs.isEmpty ? "no changes\n" : summary + "\n").utf8))
}
