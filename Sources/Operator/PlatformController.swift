import Apply
import Foundation
import Kube
import Logging
import Manifests
import Schema

/// The controller: informers on the Platforms and PlatformReleases of its namespace, and one loop that runs due
/// work one step at a time — a reconcile when a Platform changed materially (its fingerprint), a retry when its
/// back-off ran out, a drift check on its interval. Status writes (the operator's own included) change no
/// fingerprint, so they never start a reconcile.
///
/// `stop()` finishes the step in flight and returns; cancelling `run()` abandons it (as a crash does): every step is
/// idempotent, so the next reconcile converges.
public actor PlatformController {
    let reconciler: Reconciler
    let timing: OperatorTiming
    var logger: Logger { reconciler.logger }
    var namespace: String { reconciler.namespace }

    struct Work {
        /// The fingerprint last reconciled to a result that needs no retry (applied, dry run, suspended).
        var done: String?
        /// The fingerprint that failed, its failures in a row, and when to try again.
        var failed: String?
        var failures = 0
        var retryAt: ContinuousClock.Instant?
        /// A reconcile asked for regardless of the fingerprint (a release was suspended or resumed).
        var forced = false
        var nextDrift: ContinuousClock.Instant?
        var plan: (fingerprint: String, plan: PlatformPlan)?
    }

    private var platforms: [String: PlatformObject] = [:]
    private var work: [String: Work] = [:]
    private var releaseSuspensions = ReleaseSuspensions()
    private var stopping = false
    private let bell = Doorbell()
    /// The informers have listed: what the controller knows is the cluster's.
    public private(set) var synced = false
    /// Reconciles started, for tests and the README's numbers.
    public private(set) var reconciles = 0
    public private(set) var driftChecks = 0

    init(reconciler: Reconciler, timing: OperatorTiming) {
        self.reconciler = reconciler
        self.timing = timing
    }

    /// Runs until `stop()` (after the step in flight) or cancellation; throws when an informer gives up.
    public func run() async throws {
        let client = reconciler.client
        let namespace = self.namespace
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for try await event in client.inform(apiVersion: PlatformResource.apiVersion, kind: PlatformResource.kind, namespace: namespace) {
                    await self.observePlatforms(event)
                }
            }
            group.addTask {
                for try await event in client.inform(apiVersion: PlatformResource.apiVersion, kind: PlatformReleaseResource.kind,
                                                     namespace: namespace) {
                    await self.observeReleases(event)
                }
            }
            group.addTask { try await self.loop() }
            // The loop returns on stop; an informer returns only by failing.
            try await group.next()
            group.cancelAll()
        }
    }

    public func stop() async {
        stopping = true
        await bell.ring()
    }

    // MARK: Events

    func observePlatforms(_ event: InformerEvent) async {
        switch event {
        case .listed(let items, _):
            let objects = items.map(PlatformObject.init)
            platforms = Dictionary(objects.map { ($0.name, $0) }, uniquingKeysWith: { $1 })
            work = work.filter { platforms[$0.key] != nil }
            synced = true
        case .changed(let change):
            let object = PlatformObject(change.object)
            if change.type == .deleted {
                platforms[object.name] = nil
                work[object.name] = nil
            } else {
                platforms[object.name] = object
            }
        }
        await bell.ring()
    }

    func observeReleases(_ event: InformerEvent) async {
        let platformsToForce = releaseSuspensions.observe(event)
        for platform in platformsToForce { work[platform, default: Work()].forced = true }
        if !platformsToForce.isEmpty { await bell.ring() }
    }

    // MARK: The loop

    enum Step { case reconcile(PlatformObject), drift(PlatformObject) }

    func loop() async throws {
        while !stopping {
            try Task.checkCancellation()
            let now = ContinuousClock.now
            if synced, let step = due(at: now) {
                switch step {
                case .reconcile(let platform): await reconcile(platform)
                case .drift(let platform): await checkDrift(platform)
                }
                continue
            }
            await bell.wait(timeout: nextWake(after: now))
        }
    }

    /// The next step due, Platforms by name: reconciles before drift checks.
    func due(at now: ContinuousClock.Instant) -> Step? {
        let sorted = platforms.values.sorted { $0.name < $1.name }
        for platform in sorted {
            let state = work[platform.name] ?? Work()
            if state.forced || platform.fingerprint != state.done {
                if platform.fingerprint == state.failed, let retryAt = state.retryAt, now < retryAt, !state.forced { continue }
                return .reconcile(platform)
            }
        }
        // Drift is checked against what was applied: not while a new spec waits for (or failed) its reconcile.
        for platform in sorted where !platform.suspend && !platform.dryRun && work[platform.name]?.done == platform.fingerprint {
            if let next = work[platform.name]?.nextDrift, now >= next { return .drift(platform) }
        }
        return nil
    }

    func nextWake(after now: ContinuousClock.Instant) -> Double {
        let times = work.values.flatMap { [$0.retryAt, $0.nextDrift].compactMap { $0 } }.filter { $0 > now }
        let soonest = times.min().map { now.duration(to: $0).seconds } ?? timing.idleWakeup
        return min(soonest, timing.idleWakeup)
    }

    func reconcile(_ platform: PlatformObject) async {
        reconciles += 1
        var state = work[platform.name] ?? Work()
        state.forced = false
        work[platform.name] = state
        let start = ContinuousClock.now
        let failures = platform.fingerprint == state.failed ? state.failures : 0
        logger.info("reconciling", metadata: ["platform": "\(platform.namespace)/\(platform.name)", "generation": "\(platform.generation)"])
        var outcome: Reconciler.Outcome
        do {
            outcome = try await reconciler.reconcile(platform)
        } catch is CancellationError {
            return
        } catch {
            outcome = .failed(reason: "ApplyFailed", message: "\(error)")
        }
        if Task.isCancelled { return }
        let failuresNow = outcome.failed ? failures + 1 : 0
        let stalled = timing.backoff.isStalled(failuresNow)
        do {
            try await reconciler.record(outcome, for: platform, failures: failuresNow, stalled: stalled)
        } catch {
            reconciler.metrics.error("status")
            logger.error("could not write status", metadata: ["platform": "\(platform.name)", "error": "\(error)"])
        }
        let seconds = start.duration(to: .now).seconds
        state = work[platform.name] ?? Work()
        // A release suspended or resumed while this reconcile ran asks for another one: the new state keeps that.
        let forcedMeanwhile = state.forced
        switch outcome {
        case .failed(let reason, let message):
            state.failed = platform.fingerprint
            state.failures = failuresNow
            let delay = timing.backoff.delay(after: failuresNow)
            state.retryAt = .now.advanced(by: .milliseconds(Int(delay * 1000)))
            reconciler.metrics.reconciled("failed", seconds: seconds)
            reconciler.metrics.error(reason)
            logger.error("reconcile failed", metadata: ["platform": "\(platform.name)", "reason": "\(reason)", "message": "\(message)",
                                                        "failures": "\(failuresNow)", "retryIn": "\(String(format: "%.2f", delay))s",
                                                        "stalled": "\(stalled)"])
        case .applied(let plan, let summary):
            state = Work(done: platform.fingerprint, nextDrift: .now.advanced(by: .milliseconds(Int(driftInterval(platform) * 1000))),
                         plan: (platform.fingerprint, plan))
            reconciler.metrics.reconciled("applied", seconds: seconds)
            logger.info("reconciled", metadata: ["platform": "\(platform.name)", "created": "\(summary.created)",
                                                 "configured": "\(summary.configured)", "unchanged": "\(summary.unchanged)",
                                                 "pruned": "\(summary.pruned)", "seconds": "\(String(format: "%.2f", seconds))"])
        case .dryRun(_, let counts):
            state = Work(done: platform.fingerprint)
            reconciler.metrics.reconciled("dry-run", seconds: seconds)
            logger.info("dry run", metadata: ["platform": "\(platform.name)", "create": "\(counts.create)", "change": "\(counts.change)",
                                              "prune": "\(counts.prune)"])
        case .suspended:
            state = Work(done: platform.fingerprint)
            reconciler.metrics.reconciled("suspended", seconds: seconds)
            logger.info("suspended", metadata: ["platform": "\(platform.name)"])
        }
        state.forced = state.forced || forcedMeanwhile
        work[platform.name] = state
    }

    func driftInterval(_ platform: PlatformObject) -> Double { timing.driftInterval ?? platform.drift.interval }

    func checkDrift(_ platform: PlatformObject) async {
        driftChecks += 1
        var state = work[platform.name] ?? Work()
        state.nextDrift = .now.advanced(by: .milliseconds(Int(driftInterval(platform) * 1000)))
        work[platform.name] = state
        do {
            let plan: PlatformPlan
            if let cached = state.plan, cached.fingerprint == platform.fingerprint { plan = cached.plan } else {
                plan = try await reconciler.plan(platform)
            }
            let report = try await DriftChecker(reconciler: reconciler).check(platform, plan: plan)
            reconciler.metrics.drifted(report.drifted, platform: platform.name)
            if report.drifted > 0 {
                logger.info("drift checked", metadata: ["platform": "\(platform.name)", "drifted": "\(report.drifted)",
                                                        "corrected": "\(report.corrected)"])
            }
        } catch is CancellationError {
        } catch {
            reconciler.metrics.error("drift")
            logger.error("drift check failed", metadata: ["platform": "\(platform.name)", "error": "\(error)"])
        }
    }
}
