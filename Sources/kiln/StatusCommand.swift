import Apply
import ArgumentParser
import Foundation
import Manifests

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show each release's readiness in the cluster: READY, REASON, MESSAGE.",
        discussion: """
            Every object the config renders is read from the cluster and judged by its kind's rule (the ones apply waits \
            on). A release is Ready when all its objects are; otherwise the first object that is not is named, with why: \
            NotFound (not applied yet), Progressing (rolling out) or Failed.
            Exit codes: 0 every release ready, 1 some release is not (or the config is invalid), 3 cluster unreachable.
            """
    )

    @OptionGroup var target: ClusterCommandOptions

    func run() async throws {
        let statuses: [ReleaseStatus]
        do {
            let (result, manager, _) = try target.connect()
            statuses = try await manager.status(result, options: target.tuning.options())
        } catch {
            throw clusterFailure(error)
        }
        if target.format == .json {
            printJSON(statuses)
        } else {
            print(table(["RELEASE", "READY", "REASON", "MESSAGE"],
                        statuses.map { [$0.release, $0.ready ? "True" : "False", $0.reason, $0.message] }))
        }
        if !statuses.allSatisfy(\.ready) { throw ExitCode(1) }
    }
}
