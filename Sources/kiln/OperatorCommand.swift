import ArgumentParser
import Foundation
import Kube
import Logging
import Operator

struct OperatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "operator",
        abstract: "Run the operator: keep the Platform resources of a namespace reconciled, and report drift.",
        discussion: """
            In a pod it uses the service account (in-cluster config); from a workstation, --kubeconfig and --context, \
            through the same code. Replicas elect a leader with a coordination.k8s.io Lease (--lease-name); the \
            others wait. A Platform is reconciled when its spec, its generation or the annotation \
            kiln.dev/reconcile-requested-at changes (not on status updates): its config is validated, rendered and \
            applied in waves as `kiln apply --prune` does, ${secret:NAME/KEY} values read from Secrets in the \
            namespace. Failures are retried with exponential back-off; after 5 in a row the Platform is Stalled. Drift \
            is checked every spec.drift.interval: warn records a Warning event on the release, correct re-applies.

            SIGTERM finishes the step in flight, releases the Lease and exits. /healthz, /readyz and Prometheus \
            /metrics are served on --health-address.
            """
    )

    enum LogFormat: String, ExpressibleByArgument, CaseIterable { case text, json }

    @OptionGroup var cluster: ClusterOptions

    @Option(help: ArgumentHelp("The namespace of the Platforms, the Lease and the Secrets (default: $POD_NAMESPACE, then domino-operator).",
                               valueName: "name"))
    var namespace: String?

    @Option(help: ArgumentHelp("This replica's name in the Lease (default: $POD_NAME, then the host name and process id).", valueName: "name"))
    var identity: String?

    @Option(help: "Log lines as text, or one JSON object a line.")
    var logFormat: LogFormat = .text

    @Option(help: ArgumentHelp("Where /healthz, /readyz and /metrics listen (HOST:PORT; 0.0.0.0 in a pod).", valueName: "host:port"))
    var healthAddress = "127.0.0.1:8081"

    @Flag(help: "Serve no health or metrics endpoint.")
    var noHealth = false

    @Option(help: ArgumentHelp("The leader-election Lease.", valueName: "name"))
    var leaseName = LeaderElector.defaultLeaseName

    @Option(help: ArgumentHelp("How long a Lease holds without renewal.", valueName: "duration"))
    var leaseDuration = DurationArgument(seconds: 15)

    @Option(help: ArgumentHelp("Check drift this often, whatever the Platforms' spec.drift.interval says.", valueName: "duration"))
    var driftInterval: DurationArgument?

    @Option(help: ArgumentHelp("How long each wave of a reconcile may take to become ready.", valueName: "duration"))
    var waveTimeout = DurationArgument(seconds: 600)

    func validate() throws {
        guard Self.address(healthAddress) != nil else { throw ValidationError("--health-address \(healthAddress): expected HOST:PORT") }
        if leaseDuration.seconds < 2 { throw ValidationError("--lease-duration must be at least 2s") }
    }

    static func address(_ text: String) -> (host: String, port: UInt16)? {
        guard let colon = text.lastIndex(of: ":"), let port = UInt16(text[text.index(after: colon)...]) else { return nil }
        return (String(text[..<colon]), port)
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let format = logFormat
        var logger = Logger(label: "kiln.operator") { label in
            format == .json ? JSONLogHandler(label: label) as any LogHandler : StreamLogHandler.standardError(label: label)
        }
        logger.logLevel = .info
        let target: ClusterTarget
        do { target = try cluster.target() } catch { throw clusterFailure(error) }
        let namespace = self.namespace ?? environment["POD_NAMESPACE"] ?? "domino-operator"
        let identity = self.identity ?? environment["POD_NAME"] ?? "\(ProcessInfo.processInfo.hostName)-\(getpid())"
        var configuration = KilnOperator.Configuration(namespace: namespace, identity: identity)
        configuration.leaseName = leaseName
        configuration.timing.leaseDuration = leaseDuration.seconds
        configuration.timing.renewDeadline = leaseDuration.seconds * 2 / 3
        configuration.timing.renewInterval = leaseDuration.seconds / 3
        configuration.timing.retryInterval = max(1, leaseDuration.seconds / 5)
        configuration.timing.driftInterval = driftInterval?.seconds
        configuration.timing.waveTimeout = waveTimeout.seconds
        let kiln = KilnOperator(client: KubeClient(target), configuration: configuration, logger: logger)
        var health: HealthServer?
        if !noHealth, let (host, port) = Self.address(healthAddress) {
            health = try HealthServer(host: host, port: port, metrics: kiln.metrics, ready: { await kiln.isReady })
        }
        logger.info("starting", metadata: ["namespace": "\(namespace)", "server": "\(target.server)", "origin": "\(target.origin)"])
        do {
            try await OperatorService.run(kiln, health: health, logger: logger)
        } catch {
            throw clusterFailure(error)
        }
    }
}
