import Apply
import Foundation
import Kube
import Manifests
import Schema

extension Reconciler {
    /// Writes a reconcile's outcome: the Platform's conditions, observedGeneration and what was applied, and each
    /// release's state. `failures` counts failed reconciles in a row, this one included.
    func record(_ outcome: Outcome, for platform: PlatformObject, failures: Int, stalled: Bool) async throws {
        let releases = ReleaseResources(client: client)
        switch outcome {
        case .suspended:
            return
        case .dryRun(_, let counts):
            let message = "dry run: \(counts.create) to create, \(counts.change) to change, \(counts.prune) to prune, \(counts.unchanged) unchanged; nothing was changed"
            try await report(platform, [Condition("Ready", false, reason: "DryRun", message: message),
                                        Condition("Reconciling", false, reason: "DryRun", message: message),
                                        Condition("Stalled", false, reason: "DryRun", message: "")]) { status in
                status.with("observedGeneration", .number(Double(platform.generation)))
                    .with("lastReconcileTime", .string(Condition.timestamp())).with("failures", .number(0))
                    .with("plan", .object([("create", .number(Double(counts.create))), ("change", .number(Double(counts.change))),
                                           ("unchanged", .number(Double(counts.unchanged))), ("prune", .number(Double(counts.prune)))]))
            }
        case .applied(let plan, let summary):
            let total = summary.created + summary.configured + summary.unchanged + summary.recreated
            let message = "applied \(total) objects: \(summary.created) created, \(summary.configured) configured, "
                + "\(summary.unchanged) unchanged, \(summary.pruned) pruned"
            let states = try await manager.status(plan.result, options: options())
            let suspended = try await releases.suspended(platform)
            let releaseRows: [JSONValue] = states.map { state in
                .object([("name", .string(state.release)), ("ready", .bool(state.ready)), ("reason", .string(state.reason)),
                         ("message", .string(state.message))])
            }
            let counts = Dictionary(grouping: plan.result.objects, by: \.release).mapValues(\.count)
            for state in states {
                if suspended.contains(state.release) {
                    try await releases.report(platform, release: state.release, ready: nil, reason: .suspended,
                                              message: "suspended: not applied or corrected", objects: counts[state.release])
                } else {
                    try await releases.report(platform, release: state.release, ready: state.ready,
                                              reason: state.ready ? .inSync : (state.reason == "Failed" ? .failed : .progressing),
                                              message: state.message, objects: counts[state.release])
                }
            }
            // The Platform last: Ready means its releases have reported too.
            try await report(platform, [Condition("Ready", true, reason: "ReconcileSucceeded", message: message),
                                        Condition("Reconciling", false, reason: "ReconcileSucceeded", message: message),
                                        Condition("Stalled", false, reason: "ReconcileSucceeded", message: "")]) { status in
                status.with("observedGeneration", .number(Double(platform.generation)))
                    .with("appliedVersion", .string(platform.version)).with("appliedRevision", .string(plan.revision))
                    .with("lastReconcileTime", .string(Condition.timestamp())).with("failures", .number(0))
                    .with("releases", .array(releaseRows)).with("plan", nil)
            }
        case .failed(let reason, let message):
            var conditions = [Condition("Ready", false, reason: reason, message: message),
                              Condition("Reconciling", false, reason: reason, message: "failed \(failures) time(s) in a row; retrying")]
            conditions.append(stalled ? Condition("Stalled", true, reason: "RetriesExhausted",
                                                  message: "\(failures) failed reconciles in a row: \(message)")
                                      : Condition("Stalled", false, reason: reason, message: ""))
            try await report(platform, conditions) { status in
                status.with("observedGeneration", .number(Double(platform.generation)))
                    .with("lastReconcileTime", .string(Condition.timestamp())).with("failures", .number(Double(failures)))
            }
            if stalled {
                for release in try await releases.live(platform).keys.sorted() {
                    try await releases.report(platform, release: release, ready: false, reason: .stalled, message: message)
                }
            }
        }
    }
}

extension Reconciler.Outcome {
    var failed: Bool { if case .failed = self { return true } else { return false } }
}
