import Apply
import Foundation
import Kube
import Logging
import Manifests

/// The operator: leader election, then the controller, with metrics and the readiness the health server reports.
/// The same code runs in a pod (in-cluster config) and from a workstation (`--kubeconfig`): only the client differs.
public actor KilnOperator {
    public struct Configuration: Sendable {
        public var namespace: String
        public var identity: String
        public var leaseName = LeaderElector.defaultLeaseName
        public var timing = OperatorTiming()
        public var planner: any PlatformPlanner = ConfigPlanner()

        public init(namespace: String, identity: String) {
            self.namespace = namespace
            self.identity = identity
        }
    }

    public nonisolated let configuration: Configuration
    public nonisolated let metrics: OperatorMetrics
    public nonisolated let elector: LeaderElector
    public nonisolated let controller: PlatformController
    let logger: Logger
    private var stopRequested = false
    private var reachedAPI = false

    public struct LeaseLost: Error, CustomStringConvertible {
        public let identity: String
        /// Another replica was seen holding it (else: no renewal succeeded within the renew deadline).
        public var takenOver = false
        public var description: String {
            "\(identity) lost the leader Lease (\(takenOver ? "another replica holds it" : "not renewed in time")): stopping so another replica leads"
        }
    }

    public init(client: KubeClient, configuration: Configuration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        let metrics = OperatorMetrics()
        self.metrics = metrics
        elector = LeaderElector(client: client, namespace: configuration.namespace, name: configuration.leaseName,
                                identity: configuration.identity, timing: configuration.timing)
        let manager = ResourceManager(client: client, observe: { event in
            if case .applied(_, let change) = event, change != .unchanged { metrics.applyRequest(change.rawValue) }
        })
        controller = PlatformController(reconciler: Reconciler(manager: manager, planner: configuration.planner, namespace: configuration.namespace,
                                                               timing: configuration.timing, logger: logger, metrics: metrics),
                                        timing: configuration.timing)
    }

    /// Ready: the API server answered (a standby replica is ready too: it is waiting for the Lease, as it should).
    public var isReady: Bool { reachedAPI && !stopRequested }

    /// Waits for the Lease, then runs the controller until `stop()` (returning after the step in flight, the Lease
    /// released) or until the Lease is lost (throwing, so the process exits and restarts as a standby).
    public func run() async throws {
        logger.info("waiting for the leader Lease", metadata: ["lease": "\(configuration.namespace)/\(configuration.leaseName)",
                                                               "identity": "\(configuration.identity)"])
        while !stopRequested {
            try Task.checkCancellation()
            let won: Bool
            do {
                won = try await elector.tryAcquireOrRenew()
                reachedAPI = true
            } catch {
                logger.warning("could not read the Lease", metadata: ["error": "\(error)"])
                won = false
            }
            if won { break }
            try await Task.sleep(for: .milliseconds(Int(configuration.timing.retryInterval * 1000)))
        }
        guard !stopRequested else { return }
        metrics.leader(true)
        logger.info("leading", metadata: ["identity": "\(configuration.identity)"])
        let controller = self.controller
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await controller.run() }
                group.addTask { try await self.renew() }
                try await group.next()
                group.cancelAll()
            }
        } catch {
            metrics.leader(false)
            if !(error is CancellationError) { logger.error("operator stopped", metadata: ["error": "\(error)"]) }
            throw error
        }
        await elector.release()
        metrics.leader(false)
        logger.info("stopped; released the leader Lease", metadata: ["identity": "\(configuration.identity)"])
    }

    /// Asks the operator to stop: the controller finishes its step, the Lease is released.
    public func stop() async {
        stopRequested = true
        await controller.stop()
    }

    /// One renewal, abandoned (its request cancelled) after `seconds`.
    func renewed(within seconds: Double) async -> Bool {
        let elector = self.elector
        return await withinTimeLimit(.milliseconds(Int(seconds * 1000))) { (try? await elector.tryAcquireOrRenew()) ?? false } ?? false
    }

    /// Renews the Lease until stopped. Throws `LeaseLost` at once when another replica holds it, and when no renewal
    /// succeeded within the renew deadline (client-go's 10 s of a 15 s lease), counted from when the last successful
    /// renewal was *sent*: a standby takes over only after a whole lease duration unchanged on its own clock, so this
    /// replica has stopped leading before another starts. Each attempt is bounded by the time left.
    func renew() async throws {
        let timing = configuration.timing
        let deadline = min(timing.renewDeadline, timing.leaseDuration)
        var lastRenewal = ContinuousClock.now
        while !stopRequested {
            let untilDeadline = deadline - lastRenewal.duration(to: .now).seconds
            try await Task.sleep(for: .milliseconds(Int(max(0, min(timing.renewInterval, untilDeadline)) * 1000)))
            if stopRequested { break }
            let attempt = ContinuousClock.now
            let remaining = deadline - lastRenewal.duration(to: attempt).seconds
            guard remaining > 0 else { throw LeaseLost(identity: configuration.identity) }
            if await renewed(within: remaining) {
                lastRenewal = attempt
            } else if await elector.heldByAnother {
                throw LeaseLost(identity: configuration.identity, takenOver: true)
            }
        }
        // Stopping: the controller returns after its step, which ends the group; returning here would end it first and
        // cancel that step.
        try await Task.sleep(for: .seconds(3600 * 24))
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
