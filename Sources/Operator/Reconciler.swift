import Apply
import Foundation
import Kube
import Logging
import Manifests
import Schema

/// One reconcile of one Platform: resolve the Secrets its config names, validate and render, apply in waves with
/// readiness (or a server-side dry run), prune what left the config, and report on the Platform and its
/// PlatformReleases. Every step is idempotent, so a reconcile cut short (a crash, a lost lease) is finished by the
/// next one: apply records the inventory before anything lands, and pruning happens only after every wave.
struct Reconciler {
    let manager: ResourceManager
    let planner: any PlatformPlanner
    let namespace: String
    let timing: OperatorTiming
    let logger: Logger
    let metrics: OperatorMetrics
    /// Repeated events count up one Event (drift found again at every check).
    let events = EventSeries()

    var client: KubeClient { manager.client }

    enum Outcome: Sendable {
        case applied(PlatformPlan, ApplySummary)
        case dryRun(PlatformPlan, DryRunCounts)
        case suspended
        case failed(reason: String, message: String)
    }

    struct DryRunCounts: Sendable {
        var create = 0, change = 0, unchanged = 0, prune = 0
    }

    func options(dryRun: Bool = false) -> ApplyOptions {
        var options = ApplyOptions()
        options.dryRun = dryRun
        options.timeout = timing.waveTimeout
        options.pollInterval = timing.pollInterval
        options.wait = timing.waitForReadiness
        options.prune = true
        // The Platform is the desired state: fields someone else took over (a `kubectl scale`) are taken back, as
        // Flux's controllers do. Between reconciles, drift mode decides what happens to such edits.
        options.forceConflicts = true
        return options
    }

    /// The plan of a Platform: its Secret references read, its config rendered.
    func plan(_ platform: PlatformObject) async throws -> PlatformPlan {
        let values: [String: String]
        do {
            values = try await SecretResolver(client: client, namespace: platform.namespace).values(for: platform.config)
        } catch let missing as SecretResolver.Missing {
            throw PlanFailure(reason: "SecretMissing", message: missing.description)
        }
        return try planner.plan(platform, secrets: SecretValues().reading { name, key in values["\(name)/\(key)"] })
    }

    func reconcile(_ platform: PlatformObject) async throws -> Outcome {
        if platform.suspend {
            try await report(platform, [Condition("Reconciling", false, reason: "Suspended", message: "reconciliation is suspended")])
            return .suspended
        }
        try await report(platform, [Condition("Reconciling", true, reason: "Progressing",
                                              message: "reconciling generation \(platform.generation)")])
        let plan: PlatformPlan
        do {
            plan = try await self.plan(platform)
        } catch let failure as PlanFailure {
            return .failed(reason: failure.reason, message: failure.message)
        }
        if platform.dryRun {
            let diffs = try await manager.diff(plan.result, inventory: plan.inventory, options: options(dryRun: true))
            var counts = DryRunCounts()
            for diff in diffs {
                switch diff.action {
                case .create: counts.create += 1
                case .update, .recreate, .conflict: counts.change += 1
                case .delete: counts.prune += 1
                }
            }
            counts.unchanged = plan.result.objects.count - counts.create - counts.change
            return .dryRun(plan, counts)
        }
        let suspendedReleases = try await ReleaseResources(client: client).suspended(platform)
        try await ReleaseResources(client: client).sync(platform, releases: plan.result.releases)
        var result = plan.result
        var options = self.options()
        if !suspendedReleases.isEmpty {
            // A suspended release's objects are left as they are; pruning waits too, since its objects would look
            // like ones that left the config.
            result = RenderResult(objects: result.objects.filter { !suspendedReleases.contains($0.release) }, releases: result.releases,
                                  waves: result.waves, dependencies: result.dependencies, diagnostics: [], platform: result.platform)
            options.prune = false
        }
        let summary = try await manager.apply(result, inventory: plan.inventory, options: options)
        return .applied(plan, summary)
    }

    /// Sets conditions (and whatever else `extra` adds) on the Platform's status.
    func report(_ platform: PlatformObject, _ conditions: [Condition], extra: (JSONValue) -> JSONValue = { $0 }) async throws {
        let now = Condition.timestamp()
        try await StatusWriter(client: client).update(platform.reference) { status, _ in
            var out = status.with("conditions", Condition.merge(conditions, into: status["conditions"]?.arrayValue ?? [],
                                                                generation: platform.generation, now: now))
            if let ready = conditions.first(where: { $0.type == "Ready" }) { out = out.with("message", .string(ready.message)) }
            return extra(out)
        }
    }
}
