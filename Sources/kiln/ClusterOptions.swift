import Apply
import ArgumentParser
import Foundation
import Kube
import Config
import Diagnostics
import Manifests
import Platform

/// `--kubeconfig` and `--context`, for every command that talks to a cluster. Resolution follows kubectl:
/// --kubeconfig, else $KUBECONFIG (files merged), else ~/.kube/config; inside a pod with none of these, the
/// service account.
struct ClusterOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The kubeconfig file (default: $KUBECONFIG, then ~/.kube/config).", valueName: "file"))
    var kubeconfig: String?

    @Option(help: ArgumentHelp("The kubeconfig context (default: its current-context).", valueName: "name"))
    var context: String?

    @Option(help: ArgumentHelp("How long one API request may take (30s, 2m; a bare number is seconds).", valueName: "duration"))
    var requestTimeout = DurationArgument(seconds: 60)

    func target() throws -> ClusterTarget {
        let environment = ProcessInfo.processInfo.environment
        let home = environment["HOME"] ?? NSHomeDirectory()
        if kubeconfig == nil, context == nil, (environment["KUBECONFIG"] ?? "").isEmpty,
           !FileManager.default.fileExists(atPath: home + "/.kube/config"), let inCluster = ClusterTarget.inCluster() {
            return inCluster
        }
        var target = try ClusterTarget.from(try Kubeconfig.load(explicit: kubeconfig), context: context)
        target.http.timeout = requestTimeout.seconds
        return target
    }

    func manager(observe: @escaping @Sendable (ApplyEvent) -> Void = { _ in }) throws -> ResourceManager {
        do {
            return ResourceManager(client: KubeClient(try target()), observe: observe)
        } catch {
            throw clusterFailure(error)
        }
    }
}

/// How to reach the cluster, how hard to drive it, and how to print: what every cluster command takes.
struct ClusterAccess: ParsableArguments {
    @OptionGroup var cluster: ClusterOptions
    @OptionGroup var tuning: ApplyTuning
    @OptionGroup var output: OutputOptions
}

/// What apply, diff and drift take: the config (with its layers) and the cluster.
struct ClusterCommandOptions: ParsableArguments {
    @Argument(help: "The config.")
    var file: String

    @OptionGroup var layers: LayerOptions
    @OptionGroup var access: ClusterAccess

    var format: OutputFormat { access.output.format }
    var tuning: ApplyTuning { access.tuning }

    func connect(observe: @escaping @Sendable (ApplyEvent) -> Void = { _ in }) throws -> (RenderResult, ResourceManager, ApplySet) {
        try access.connect(file, layers: layers, observe: observe)
    }
}

extension ClusterAccess {
    /// `file` rendered (or its problems printed and exit 1), a manager for the cluster, and kiln's inventory in the
    /// config's system namespace.
    func connect(_ file: String, layers: LayerOptions, images: ImageRewrite? = nil,
                 observe: @escaping @Sendable (ApplyEvent) -> Void = { _ in }) throws -> (RenderResult, ResourceManager, ApplySet) {
        let (config, result) = try renderedPlatform(file, layers: layers, color: output.color.enabled, images: images)
        return (result, try cluster.manager(observe: observe), ApplySet(namespace: PlatformRenderer.systemNamespace(config)))
    }
}

/// How hard apply, diff, status and drift drive the cluster.
struct ApplyTuning: ParsableArguments {
    @Option(help: ArgumentHelp("Objects applied at once within a wave.", valueName: "n"))
    var concurrency = 8

    @Option(help: ArgumentHelp("How long each wave may take to become ready (5m, 90s, 1h; a bare number is seconds).", valueName: "duration"))
    var timeout = DurationArgument(seconds: 600)

    func options() -> ApplyOptions {
        var options = ApplyOptions()
        options.concurrency = max(1, concurrency)
        options.timeout = timeout.seconds
        return options
    }
}

/// Prints why talking to the cluster failed and gives the exit code kiln's interface promises: 3 when the cluster
/// could not be reached or refused the credentials, 1 when it refused what kiln sent or a wait failed.
func clusterFailure(_ error: Error) -> ExitCode {
    switch error {
    case let error as HTTPError:
        printError("\(error)" + (error.hint.map { "\n  hint: \($0)" } ?? ""))
        if case .file = error { return ExitCode(1) }  // a local file, not the cluster
        return ExitCode(3)
    case let error as Kubeconfig.Failure:
        printError("kubeconfig: \(error)")
        return ExitCode(3)
    case let error as KubeError:
        printError("\(error)")
        return ExitCode(error.isUnavailable || error.status == 401 || error.status == 403 ? 3 : 1)
    case let error as ApplyFailure:
        printError("\(error)")
        return ExitCode(1)
    case let error as ExitCode:
        return error
    default:
        printError("\(error)")
        return ExitCode(1)
    }
}

/// A valid config rendered, or its problems printed and exit 1: nothing reaches a cluster from a config
/// `kiln validate` refuses or a render with errors.
func renderedPlatform(_ file: String, layers: LayerOptions, color: Bool, profile: SizingProfile? = nil,
                      refusal: String = "nothing was sent to the cluster", images: ImageRewrite? = nil) throws -> (ConfigView, RenderResult) {
    let config = try validConfig(layers.request(file), color: color)
    let result = PlatformRenderer.render(config, profile: profile, images: images)
    if result.diagnostics.hasErrors {
        FileHandle.standardError.write(Data(DiagnosticRenderer(color: color)
            .text(result.diagnostics.map { $0.inFile(file) }, sources: [:]).utf8))
        printError(refusal)
        throw ExitCode(1)
    }
    return (config, result)
}
