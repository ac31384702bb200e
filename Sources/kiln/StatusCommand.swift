import Apply
import ArgumentParser
import Foundation
import Manifests

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show each release's readiness in the cluster: READY, REASON, MESSAGE.",
        discussion: """
            With a config, every object it renders is read from the cluster and judged by its kind's rule (the ones \
            apply waits on). Without one, kiln reads the members its inventory (the ApplySet in --system-namespace) \
            records and groups them by their kiln.dev/release label. A release is Ready when all its objects are; \
            otherwise the first object that is not is named, with why: NotFound (not applied yet), Progressing \
            (rolling out) or Failed.

            Exit codes: 0 every release ready, 1 some release is not (or the config is invalid, or kiln never applied \
            here), 3 cluster unreachable.
            """
    )

    @Argument(help: "The config (optional: without it, what kiln's inventory in the cluster records).")
    var file: String?

    @Option(help: ArgumentHelp("Without a config: the namespace of kiln's inventory.", valueName: "name"))
    var systemNamespace = "domino-system"

    @OptionGroup var layers: LayerOptions
    @OptionGroup var access: ClusterAccess

    func run() async throws {
        let statuses: [ReleaseStatus]
        do {
            if let file {
                let (result, manager, _) = try access.connect(file, layers: layers)
                statuses = try await manager.status(result, options: access.tuning.options())
            } else {
                statuses = try await access.cluster.manager().status(inventory: ApplySet(namespace: systemNamespace))
            }
        } catch {
            throw clusterFailure(error)
        }
        if access.output.format == .json {
            printJSON(statuses)
        } else {
            print(table(["RELEASE", "READY", "REASON", "MESSAGE"],
                        statuses.map { [$0.release, $0.ready ? "True" : "False", $0.reason, $0.message] }))
        }
        if !statuses.allSatisfy(\.ready) { throw ExitCode(1) }
    }
}
