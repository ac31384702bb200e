import Foundation
import Kube
import Manifests
import Operator
import Schema
import Testing

/// The operator's behaviours as scenarios that run against any API server: the test API server on every run
/// (`OperatorScenarioTests`) and a real one when `KILN_TEST_KUBECONFIG` is set (`LiveOperatorTests`). Safe on a real
/// cluster: everything is written in a scratch namespace (`kiln-op-<scenario>-<random>`) deleted at the end (the two
/// CRDs stay installed); nothing waits on a controller.
struct LiveOperatorScenarios {
    let makeHarness: (_ scenario: String) -> OperatorHarness
    /// Slows the server down (the test server's injected delays), so a kill lands mid-reconcile; nil on a real cluster.
    var slowDown: ((Int) -> Void)?

    func inScratch(_ scenario: String, _ body: (OperatorHarness) async throws -> Void) async throws {
        let harness = makeHarness(scenario)
        try await harness.installCRDs()
        var failure: Error?
        do { try await body(harness) } catch { failure = error }
        await harness.deleteNamespace()
        if let failure { throw failure }
    }

    static func config(_ namespace: String, alpha: String = "a", workload: Bool = false, password: String? = nil) -> JSONValue {
        var alphaRelease: [(String, JSONValue)] = [("name", .string("alpha")), ("data", .object([("mode", .string(alpha))])),
                                                   ("workload", .bool(workload))]
        if let password { alphaRelease.append(("password", .string(password))) }
        return .object([("namespace", .string(namespace)), ("releases", .array([
            .object(alphaRelease),
            .object([("name", .string("beta")), ("data", .object([("mode", .string("b"))]))]),
        ]))])
    }

    // MARK: - The scenarios

    /// A Platform goes Ready: conditions, observedGeneration, applied version and revision; its objects exist; one
    /// PlatformRelease per release, owned by it, InSync.
    func aPlatformGoesReady() async throws {
        try await inScratch("ready") { h in
            let op = h.start()
            try await h.createPlatform("demo", config: Self.config(h.namespace))
            let platform = try await h.waitReady("demo")
            #expect(platform["status"]?["appliedVersion"] == .string("6.1.2"))
            #expect(platform["status"]?["appliedRevision"]?.stringValue?.isEmpty == false)
            #expect(platform["status"]?["lastReconcileTime"]?.stringValue != nil)
            #expect(h.condition(platform, "Reconciling")?["status"] == .string("False"))
            #expect(h.condition(platform, "Stalled")?["status"] == .string("False"))
            #expect(platform["status"]?["message"]?.stringValue?.contains("2 created") == true, "\(platform["status"]?.jsonText ?? "")")
            #expect(try await h.object("v1", "ConfigMap", "alpha-settings")?["data"]?["mode"] == .string("a"))
            #expect(try await h.object("v1", "ConfigMap", "beta-settings") != nil)
            let uid = platform["metadata"]?["uid"]
            for release in ["alpha", "beta"] {
                let pr = try #require(try await h.object(PlatformResource.apiVersion, PlatformReleaseResource.kind, "demo-\(release)"))
                #expect(pr["metadata"]?["ownerReferences"]?.arrayValue?.first?["uid"] == uid)
                #expect(pr["status"]?["reason"] == .string("InSync"), "\(pr.jsonText)")
                #expect(pr["spec"]?["drift"]?["mode"] == .string("warn"))
            }
            try await op.stop()
        }
    }

    /// A config change reconciles what changed: the changed object gets a new resourceVersion, the others keep theirs.
    /// A status-only write and a label change (no new generation) start no reconcile.
    func aChangeReconcilesOnlyWhatChanged() async throws {
        try await inScratch("change") { h in
            let op = h.start()
            try await h.createPlatform("demo", config: Self.config(h.namespace))
            try await h.waitReady("demo")
            let alpha = try await h.object("v1", "ConfigMap", "alpha-settings")?["metadata"]?["resourceVersion"]
            let beta = try await h.object("v1", "ConfigMap", "beta-settings")?["metadata"]?["resourceVersion"]
            let before = await op.kiln.controller.reconciles

            // Not material: the status subresource and metadata.
            var platform = try await h.platform("demo")
            platform = platform.with("status", (platform["status"] ?? .object([])).with("message", .string("written by someone else")))
            _ = try await h.client.updateStatus(platform)
            let label: JSONValue = .object([("metadata", .object([("labels", .object([("team", .string("ml"))]))]))])
            _ = try await h.client.patch(h.platformRef("demo"), type: .merge, body: Array(label.jsonText.utf8), fieldManager: "kubectl-label")
            try await Task.sleep(for: .milliseconds(600))
            #expect(await op.kiln.controller.reconciles == before, "a status or label update started a reconcile")

            try await h.patchSpec("demo", .object([("config", Self.config(h.namespace, alpha: "changed"))]))
            let ready = try await h.waitReady("demo")
            #expect(ready["status"]?["observedGeneration"] == .number(2))
            #expect(await op.kiln.controller.reconciles == before + 1)
            #expect(try await h.object("v1", "ConfigMap", "alpha-settings")?["data"]?["mode"] == .string("changed"))
            #expect(try await h.object("v1", "ConfigMap", "alpha-settings")?["metadata"]?["resourceVersion"] != alpha)
            #expect(try await h.object("v1", "ConfigMap", "beta-settings")?["metadata"]?["resourceVersion"] == beta)
            #expect(ready["status"]?["message"]?.stringValue?.contains("1 configured, 1 unchanged") == true, "\(ready["status"]?.jsonText ?? "")")

            // `kiln reconcile`: the annotation asks for one more, which changes nothing.
            let annotate: JSONValue = .object([("metadata", .object([("annotations", .object([
                (PlatformResource.reconcileRequestedAnnotation, .string("2026-12-02T16:00:00Z"))]))]))])
            _ = try await h.client.patch(h.platformRef("demo"), type: .merge, body: Array(annotate.jsonText.utf8), fieldManager: "kiln-reconcile")
            try await h.waitUntil("the requested reconcile ran") { await op.kiln.controller.reconciles == before + 2 }
            try await op.stop()
        }
    }

    /// `spec.dryRun`: the status reports what would be created, changed and pruned, and nothing is created; clearing
    /// it applies.
    func dryRunChangesNothingAndReports() async throws {
        try await inScratch("dry-run") { h in
            let op = h.start()
            try await h.createPlatform("demo", config: Self.config(h.namespace), dryRun: true)
            let platform = try await h.waitReady("demo", "False", reason: "DryRun")
            #expect(platform["status"]?["plan"]?["create"] == .number(2), "\(platform["status"]?.jsonText ?? "")")
            #expect(platform["status"]?["plan"]?["prune"] == .number(0))
            #expect(platform["status"]?["message"]?.stringValue?.contains("2 to create") == true)
            #expect(try await h.object("v1", "ConfigMap", "alpha-settings") == nil, "a dry run created an object")
            #expect(try await h.object(PlatformResource.apiVersion, PlatformReleaseResource.kind, "demo-alpha") == nil)
            try await h.patchSpec("demo", .object([("dryRun", .bool(false))]))
            try await h.waitReady("demo")
            #expect(try await h.object("v1", "ConfigMap", "alpha-settings") != nil)
            try await op.stop()
        }
    }

    /// `spec.suspend` stops reconciling (a config change waits); resuming applies it.
    func suspendStopsAndResumeRestarts() async throws {
        try await inScratch("suspend") { h in
            let op = h.start()
            try await h.createPlatform("demo", config: Self.config(h.namespace))
            try await h.waitReady("demo")
            try await h.patchSpec("demo", .object([("suspend", .bool(true))]))
            try await h.waitUntil("the Platform reports it is suspended") {
                h.condition(try await h.platform("demo"), "Reconciling")?["reason"] == .string("Suspended")
            }
            try await h.patchSpec("demo", .object([("config", Self.config(h.namespace, alpha: "while-suspended"))]))
            try await Task.sleep(for: .milliseconds(500))
            #expect(try await h.object("v1", "ConfigMap", "alpha-settings")?["data"]?["mode"] == .string("a"), "a suspended Platform was applied")
            try await h.patchSpec("demo", .object([("suspend", .bool(false))]))
            try await h.waitReady("demo")
            #expect(try await h.object("v1", "ConfigMap", "alpha-settings")?["data"]?["mode"] == .string("while-suspended"))
            try await op.stop()
        }
    }

    /// Drift in warn mode: `kubectl scale` on a Deployment raises a Warning event on the release naming the object, the
    /// kind of drift and the JSON patch; nothing is changed. In correct mode the Deployment is put back.
    func driftIsWarnedThenCorrected() async throws {
        try await inScratch("drift") { h in
            let op = h.start(timing: h.timing(drift: 0.2))
            try await h.createPlatform("demo", config: Self.config(h.namespace, workload: true))
            try await h.waitReady("demo")
            let path = ObjectReference(apiVersion: "apps/v1", kind: "Deployment", namespace: h.namespace, name: "alpha")
            _ = try await h.client.patch(path, type: .merge, body: Array(#"{"spec":{"replicas":3}}"#.utf8), fieldManager: "kubectl-scale")
            var warning: JSONValue?
            try await h.waitUntil("a DriftDetected event") {
                warning = try await h.events(reason: "DriftDetected").first
                return warning != nil
            }
            let event = try #require(warning)
            #expect(event["type"] == .string("Warning"))
            #expect(event["involvedObject"]?["kind"] == .string(PlatformReleaseResource.kind))
            #expect(event["involvedObject"]?["name"] == .string("demo-alpha"))
            let message = event["message"]?.stringValue ?? ""
            #expect(message.contains("Deployment \(h.namespace)/alpha drifted (changed)"), "\(message)")
            #expect(message.contains(#"{"op": "replace", "path": "/spec/replicas", "value": 1}"#), "\(message)")
            #expect(try await h.object("apps/v1", "Deployment", "alpha")?["spec"]?["replicas"] == .number(3), "warn mode changed the object")
            try await h.waitUntil("the release reports Drifted") {
                try await h.object(PlatformResource.apiVersion, PlatformReleaseResource.kind, "demo-alpha")?["status"]?["reason"] == .string("Drifted")
            }
            #expect(h.logLines.all.contains { $0.contains("\"msg\":\"drift\"") && $0.contains("/spec/replicas") })
            // The same drift, found again at the next checks, counts up that one Event instead of adding more.
            let checks = await op.kiln.controller.driftChecks
            try await h.waitUntil("two more drift checks") { await op.kiln.controller.driftChecks >= checks + 2 }
            let repeated = try await h.events(reason: "DriftDetected")
            #expect(repeated.count == 1, "\(repeated.count) DriftDetected events for one persistent drift")
            #expect((repeated.first?["count"]?.numberValue ?? 0) >= 2, "\(String(describing: repeated.first?["count"]))")

            // Correct mode: the reconcile of the new spec takes the field back; a later edit is corrected by the drift check.
            try await h.patchSpec("demo", .object([("drift", .object([("mode", .string("correct"))]))]))
            try await h.waitReady("demo")
            #expect(try await h.object("apps/v1", "Deployment", "alpha")?["spec"]?["replicas"] == .number(1), "the reconcile took replicas back")
            #expect(try await h.events(reason: "DriftCorrected").isEmpty)
            _ = try await h.client.patch(path, type: .merge, body: Array(#"{"spec":{"replicas":4}}"#.utf8), fieldManager: "kubectl-scale")
            try await h.waitUntil("the Deployment is corrected") {
                try await h.object("apps/v1", "Deployment", "alpha")?["spec"]?["replicas"] == .number(1)
            }
            #expect(try await !h.events(reason: "DriftCorrected").isEmpty)
            try await op.stop()
        }
    }

    /// `${secret:NAME/KEY}`: a missing Secret is a clear status message (naming the Secret, never a value), retried
    /// with back-off; once the Secret exists the value lands in the rendered Secret, and in no status or event.
    func secretReferencesResolve() async throws {
        try await inScratch("secret") { h in
            let op = h.start()
            try await h.createPlatform("demo", config: Self.config(h.namespace, password: "${secret:creds/password}"))
            let failed = try await h.waitReady("demo", "False", reason: "SecretMissing")
            let message = failed["status"]?["message"]?.stringValue ?? ""
            #expect(message.contains("Secret \(h.namespace)/creds (for ${secret:creds/password}) does not exist"), "\(message)")
            let value = "pa55-\(UInt32.random(in: 0...UInt32.max))"
            _ = try await h.client.create(CoreObjects.secret("creds", namespace: h.namespace, type: "Opaque", stringData: ["password": value],
                                                             labels: [:], release: "").json)
            let ready = try await h.waitReady("demo")
            let rendered = try #require(try await h.object("v1", "Secret", "alpha-credentials"))
            let stored = rendered["data"]?["password"]?.stringValue.flatMap { Data(base64Encoded: $0) }.map { String(decoding: $0, as: UTF8.self) }
                ?? rendered["stringData"]?["password"]?.stringValue
            #expect(stored == value)
            #expect(!ready.jsonText.contains(value), "the value reached the status")
            #expect(!h.logLines.all.contains { $0.contains(value) }, "the value reached the log")
            try await op.stop()
        }
    }

    /// A crash in the middle of a reconcile (the task cancelled, the Lease not released): the next operator waits the
    /// Lease out, reconciles, and ends with exactly what the config says — every object once, one PlatformRelease per
    /// release.
    func aRestartMidReconcileConverges() async throws {
        try await inScratch("restart") { h in
            // The crashing leader's short Lease: the next one takes over after it, not after the fast timing's 10 s.
            var short = h.timing()
            short.leaseDuration = 3
            short.renewDeadline = 2
            let first = h.start("op-crashing", timing: short)
            slowDown?(40)
            try await h.createPlatform("demo", config: Self.config(h.namespace, workload: true))
            try await h.waitUntil("the reconcile started") {
                h.condition(try await h.platform("demo"), "Reconciling")?["status"] == .string("True")
            }
            await first.kill()
            let second = h.start("op-restarted")
            let platform = try await h.waitReady("demo")
            #expect(platform["status"]?["observedGeneration"] == .number(1))
            let releases = try await h.client.list(apiVersion: PlatformResource.apiVersion, kind: PlatformReleaseResource.kind, namespace: h.namespace)
            #expect(releases.compactMap { $0["metadata"]?["name"]?.stringValue }.sorted() == ["demo-alpha", "demo-beta"])
            let maps = try await h.client.list(apiVersion: "v1", kind: "ConfigMap", namespace: h.namespace)
                .compactMap { $0["metadata"]?["name"]?.stringValue }.filter { $0.hasSuffix("-settings") }
            #expect(maps.sorted() == ["alpha-settings", "beta-settings"])
            #expect(try await h.object("apps/v1", "Deployment", "alpha") != nil)
            try await second.stop()
        }
    }

    /// A leader that finds another replica holding the Lease (its renewal was late, and the other took over) stops
    /// leading at once instead of after its own deadline: two leaders never reconcile side by side.
    func aLeaderThatSeesAnotherHolderStepsDown() async throws {
        try await inScratch("takeover") { h in
            let a = h.start("op-a")
            try await h.waitUntil("op-a leads") { await a.kiln.elector.isLeader }
            let ref = ObjectReference(apiVersion: "coordination.k8s.io/v1", kind: "Lease", namespace: h.namespace, name: "kiln-operator")
            // Another replica writes itself in, as it would after seeing the Lease unrenewed for a lease duration.
            for _ in 0..<20 {
                let live = try #require(try await h.client.get(ref))
                let taken = live.with("spec", (live["spec"] ?? .object([])).with("holderIdentity", .string("op-intruder")))
                if (try? await h.client.replace(taken)) != nil { break }  // a renewal raced us: read again
            }
            let error = await a.failure()
            guard let lost = error as? KilnOperator.LeaseLost else {
                Issue.record("op-a did not step down for losing the Lease: \(String(describing: error))")
                return
            }
            #expect(lost.takenOver, "op-a stepped down only at its deadline: \(lost)")
            #expect(await a.kiln.elector.isLeader == false)
        }
    }

    /// Two replicas: one holds the Lease and reconciles, the other waits; when the leader stops it releases the Lease
    /// and the other takes over.
    func twoReplicasElectOneLeader() async throws {
        try await inScratch("leader") { h in
            let a = h.start("op-a")
            try await h.waitUntil("op-a leads") { await a.kiln.elector.isLeader }
            let b = h.start("op-b")
            try await h.createPlatform("demo", config: Self.config(h.namespace))
            try await h.waitReady("demo")
            let lease = try await h.client.get(ObjectReference(apiVersion: "coordination.k8s.io/v1", kind: "Lease", namespace: h.namespace,
                                                               name: "kiln-operator"))
            #expect(lease?["spec"]?["holderIdentity"] == .string("op-a"))
            #expect(await b.kiln.elector.isLeader == false)
            #expect(await b.kiln.controller.reconciles == 0, "the standby reconciled")
            try await a.stop()
            try await h.waitUntil("op-b takes over") { await b.kiln.elector.isLeader }
            try await h.patchSpec("demo", .object([("config", Self.config(h.namespace, alpha: "by-b"))]))
            try await h.waitReady("demo")
            #expect(try await h.object("v1", "ConfigMap", "alpha-settings")?["data"]?["mode"] == .string("by-b"))
            try await b.stop()
        }
    }
}
