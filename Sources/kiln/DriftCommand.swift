import Apply
import ArgumentParser
import Foundation
import Manifests

struct DriftCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drift",
        abstract: "Find objects changed in the cluster since kiln applied them; --correct puts them back.",
        discussion: """
            Drift is what a server-side dry run of the config's objects would change in the live ones, kiln's fields
            only. Fields controllers and webhooks own are left alone: replicas of a Deployment an autoscaler scales,
            webhook caBundles, the restartedAt annotation of `kubectl rollout restart`; --ignore adds paths
            (KIND:dotted.path, or a path for every kind). --correct re-applies only the drifted objects, taking their
            fields back.
            Exit codes: 0 no drift, 1 drift found (also when corrected), 2 invalid config or a refused request,
            3 cluster unreachable.
            """
    )

    @Argument(help: "The config.")
    var file: String

    @Flag(help: "Re-apply the drifted objects.")
    var correct = false

    @Option(name: .customLong("ignore"), help: ArgumentHelp("A field drift ignores: KIND:PATH or PATH (repeatable).",
                                                           valueName: "kind:path"))
    var ignores: [String] = []

    @OptionGroup var cluster: ClusterOptions
    @OptionGroup var tuning: ApplyTuning
    @OptionGroup var layers: LayerOptions
    @OptionGroup var format: OutputOptions

    func validate() throws {
        for text in ignores where DriftIgnore(parsing: text) == nil { throw ValidationError("--ignore \(text): expected KIND:PATH or PATH") }
    }

    func run() async throws {
        do {
            let (config, result) = try renderedPlatform(file, layers: layers, color: format.color.enabled)
            let manager = try cluster.manager()
            let inventory = ApplySet(namespace: PlatformRenderer.systemNamespace(config))
            let drifted = try await manager.drift(result, inventory: inventory, ignore: ignores.compactMap(DriftIgnore.init(parsing:)),
                                                  options: tuning.options())
            printDiffs(drifted, format: format.format)
            if correct, !drifted.isEmpty {
                let count = try await manager.correct(drifted, in: result, inventory: inventory, options: tuning.options())
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
