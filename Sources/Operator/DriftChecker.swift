import Apply
import Foundation
import Kube
import Logging
import Manifests
import Schema

/// A drift check of one Platform: what the live objects differ in from the render, per release. `warn` records a
/// Warning event on the release's PlatformRelease for each drifted object (its kind of drift and the JSON patch
/// correction would apply, cut to 500 characters; the whole patch goes to the log); `correct` re-applies them.
/// Patches are built from masked objects: no Secret value reaches an event, a log line or a status.
struct DriftChecker {
    let reconciler: Reconciler

    var client: KubeClient { reconciler.client }

    struct Report: Sendable {
        var drifted = 0
        var corrected = 0
    }

    func check(_ platform: PlatformObject, plan: PlatformPlan) async throws -> Report {
        let releases = ReleaseResources(client: client)
        let live = try await releases.live(platform)
        let suspended = try await releases.suspended(platform, live: live)
        let findings = try await reconciler.manager.driftFindings(plan.result, inventory: plan.inventory,
                                                                  ignore: { platform.drift.ignore(for: $0) },
                                                                  options: reconciler.options())
        var report = Report()
        let byRelease = Dictionary(grouping: findings, by: \.release)
        for release in plan.result.releases where !suspended.contains(release) {
            let mine = byRelease[release] ?? []
            report.drifted += mine.count
            let names = mine.map { "\($0.object) (\($0.kind))" }
            guard !mine.isEmpty else {
                try await releases.report(platform, release: release, ready: true, reason: .inSync, message: "no drift", drifted: [],
                                          known: live[release])
                continue
            }
            let mode = platform.drift.mode(for: release)
            for finding in mine {
                reconciler.logger.warning("drift", metadata: [
                    "platform": "\(platform.namespace)/\(platform.name)", "release": "\(release)", "object": "\(finding.object)",
                    "drift": "\(finding.kind)", "mode": "\(mode.rawValue)", "patch": "\(finding.patchText)",
                ])
                if let owner = live[release] {
                    let verb = mode == .warn ? "correction would apply" : "corrected by applying"
                    try await EventRecorder(client: client, series: reconciler.events).record(
                        on: owner, type: mode == .warn ? "Warning" : "Normal", reason: mode == .warn ? "DriftDetected" : "DriftCorrected",
                        message: "\(finding.object) drifted (\(finding.kind)); \(verb): \(EventRecorder.truncated(finding.patchText))")
                }
            }
            if mode == .correct {
                report.corrected += try await reconciler.manager.correct(mine, in: plan.result, inventory: plan.inventory,
                                                                         options: reconciler.options())
                try await releases.report(platform, release: release, ready: true, reason: .inSync,
                                          message: "corrected drift of \(names.joined(separator: ", "))", drifted: names)
            } else {
                try await releases.report(platform, release: release, ready: true, reason: .drifted,
                                          message: "\(mine.count) object(s) drifted: \(names.joined(separator: ", "))", drifted: names)
            }
        }
        return report
    }
}
