import Apply
import ArgumentParser
import Foundation
import Manifests

struct DriftCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drift",
        abstract: "Find objects changed in the cluster since kiln applied them; --correct puts them back.",
        discussion: """
            Drift is what a server-side dry run of the config's objects would change in the live ones, kiln's fields \
            only. Fields controllers and webhooks own are left alone: replicas of a Deployment an autoscaler scales, \
            webhook caBundles, the restartedAt annotation of `kubectl rollout restart`; --ignore adds paths \
            (KIND:dotted.path, or a path for every kind). --correct re-applies only the drifted objects, taking their \
            fields back.

            Exit codes: 0 no drift, 1 drift found (also when corrected), 2 invalid config or a refused request, \
            3 cluster unreachable.
            """
    )

    @Flag(help: "Re-apply the drifted objects.")
    var correct = false

    @Option(name: .customLong("ignore"), help: ArgumentHelp("A field drift ignores: KIND:PATH or PATH (repeatable).",
                                                           valueName: "kind:path"))
    var ignores: [String] = []

    @OptionGroup var target: ClusterCommandOptions

    func validate() throws {
        for text in ignores where DriftIgnore(parsing: text) == nil { throw ValidationError("--ignore \(text): expected KIND:PATH or PATH") }
    }

    func run() async throws {
        do {
            let (result, manager, inventory) = try target.connect()
            let drifted = try await manager.drift(result, inventory: inventory, ignore: ignores.compactMap(DriftIgnore.init(parsing:)),
                                                  options: target.tuning.options())
            printDiffs(drifted, format: target.format)
            if correct, !drifted.isEmpty {
                let count = try await manager.correct(drifted, in: result, inventory: inventory, options: target.tuning.options())
                FileHandle.standardError.write(Data("corrected \(count) object(s)\n".utf8))
            }
            if !drifted.isEmpty { throw ExitCode(1) }
        } catch let code as ExitCode where code.rawValue == 1 {
            throw code
        } catch {
            throw differenceExitCode(clusterFailure(error))
        }
    }
}
