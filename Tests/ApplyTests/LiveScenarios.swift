import Apply
import Foundation
import Kube
import Manifests
import Platform
import Schema
import Testing

/// Every cluster behaviour kiln has, as scenarios that run against any API server: a real one (the live-cluster suite,
/// `KILN_TEST_KUBECONFIG`) and the test API server (on every CI run, so the live suite's code is always exercised).
///
/// Safe to point at a real cluster: everything a scenario writes is in its own scratch namespace
/// (`kiln-it-<scenario>-<random>`), deleted at the end; the platform itself is only ever sent as a server-side dry
/// run. Nothing waits on a controller (a bare kube-apiserver has none): waited objects are ready once stored, and
/// workloads are applied without waiting.
struct LiveScenarios {
    let manager: ResourceManager
    /// Builds a kubeconfig for the same server with other credentials (the exec-plugin scenario); nil: not possible.
    let kubeconfig: (_ user: String) -> String?

    var client: KubeClient { manager.client }

    static func scratchName(_ scenario: String) -> String {
        "kiln-it-\(scenario)-\(String(UInt32.random(in: 0...UInt32.max), radix: 36))"
    }

    /// Runs `body` with a fresh scratch namespace, and deletes it afterwards whatever happened.
    func inScratch(_ scenario: String, _ body: (String) async throws -> Void) async throws {
        let namespace = Self.scratchName(scenario)
        var failure: Error?
        do { try await body(namespace) } catch { failure = error }
        _ = try? await client.delete(ObjectReference(apiVersion: "v1", kind: "Namespace", namespace: nil, name: namespace))
        if let failure { throw failure }
    }

    func options(wait: Bool = true) -> ApplyOptions {
        var options = ApplyOptions()
        options.timeout = 60
        options.pollInterval = 0.2
        options.wait = wait
        return options
    }

    // MARK: - The scenarios

    /// A server-side dry run of a whole platform reports every object and stores nothing, on a fresh cluster (its
    /// namespaces do not exist yet) and on one that already holds a platform (fields that cannot change in place are
    /// reported, not fatal).
    func dryRunOfThePlatform(_ result: RenderResult) async throws {
        var dry = options()
        dry.dryRun = true
        let summary = try await manager.apply(result, inventory: ApplySet(namespace: Self.scratchName("dry-run")), options: dry)
        #expect(summary.created + summary.configured + summary.unchanged + summary.immutable == result.objects.count)
    }

    /// Apply in waves with waits (definitions, then two release levels: every object of the first is ready before the
    /// second is sent), then re-apply the unchanged set: every object reported unchanged and no resourceVersion moves
    /// (a rendered `egress: []` used to rewrite every NetworkPolicy on each apply).
    func applyThenReapplyChangesNothing() async throws {
        try await inScratch("apply") { namespace in
            let app = [CoreObjects.configMap("app-settings", namespace: namespace, data: ["level": "1"], labels: [:], release: "app"),
                       CoreObjects.service("app", namespace: namespace, labels: [:], selector: ["app": "app"], ports: [.init("http", 8080)],
                                           release: "app")]
            let result = Self.set(namespace, Self.basics(namespace).objects + app, waves: ["kiln-base": 0, "app": 1])
            let events = EventLog()
            let observed = ResourceManager(client: client, observe: { events.record($0) })
            let first = try await observed.apply(result, inventory: ApplySet(namespace: namespace), options: options())
            #expect(first.created == result.objects.count)
            #expect(events.waveNames.count == 3 && events.waveNames.first == "definitions", "\(events.waveNames)")
            func positions(_ matches: (ApplyEvent) -> Bool) -> [Int] { events.all.enumerated().filter { matches($0.element) }.map(\.offset) }
            let readyBase = positions { if case .ready(let ref) = $0 { !["app", "app-settings"].contains(ref.name) && ref.kind != "Namespace" } else { false } }
            let sentApp = positions { if case .applied(let ref, _) = $0 { ["app", "app-settings"].contains(ref.name) } else { false } }
            #expect(!readyBase.isEmpty && !sentApp.isEmpty && readyBase.max()! < sentApp.min()!,
                    "the second level goes out once the first is ready")
            let before = try await versions(result)
            let again = try await manager.apply(result, inventory: ApplySet(namespace: namespace), options: options())
            #expect(again.unchanged == result.objects.count, "\(again)")
            #expect(try await versions(result) == before, "an unchanged re-apply moved a resourceVersion")
            #expect(try await manager.diff(result, inventory: ApplySet(namespace: namespace)).isEmpty)
            let status = try await manager.status(result)
            #expect(status.allSatisfy { $0.ready }, "\(status)")
        }
    }

    /// Another manager's edit of a field kiln set: apply stops on the conflict naming it, diff shows the conflict,
    /// `--force-conflicts` takes the field back.
    func conflictWithAnotherManager() async throws {
        try await inScratch("conflict") { namespace in
            let result = Self.basics(namespace)
            let inventory = ApplySet(namespace: namespace)
            _ = try await manager.apply(result, inventory: inventory, options: options())
            try await patch("/api/v1/namespaces/\(namespace)/configmaps/settings", manager: "kubectl-edit",
                            type: "application/merge-patch+json", #"{"data":{"mode":"edited"}}"#)
            do {
                _ = try await manager.apply(result, inventory: inventory, options: options())
                Issue.record("the apply should stop on the conflict")
            } catch let error as KubeError {
                #expect(error.status == 409 && error.conflictManagers.contains("kubectl-edit"), "\(error)")
            }
            #expect(try await manager.diff(result, inventory: inventory).map(\.action) == [.conflict])
            var forced = options()
            forced.forceConflicts = true
            _ = try await manager.apply(result, inventory: inventory, options: forced)
            #expect(try await client.get(ref("v1", "ConfigMap", namespace, "settings"))?["data"]?["mode"] == .string("kiln"))
        }
    }

    /// Drift as the admin sees it: an env var added by `kubectl set env` (a strategic merge patch by another manager)
    /// and a scaled replica count are drift; `--correct` puts the object back as kiln renders it.
    func driftIsFoundAndCorrected() async throws {
        try await inScratch("drift") { namespace in
            let result = Self.withWorkload(namespace)
            let inventory = ApplySet(namespace: namespace)
            _ = try await manager.apply(result, inventory: inventory, options: options(wait: false))
            #expect(try await manager.drift(result, inventory: inventory, ignore: []).isEmpty)
            let path = "/apis/apps/v1/namespaces/\(namespace)/deployments/web"
            try await patch(path, manager: "kubectl-set", type: "application/strategic-merge-patch+json",
                            #"{"spec":{"template":{"spec":{"containers":[{"name":"web","env":[{"name":"X","value":"y"}]}]}}}}"#)
            try await patch(path, manager: "kubectl-scale", type: "application/merge-patch+json", #"{"spec":{"replicas":3}}"#)
            let drifted = try await manager.drift(result, inventory: inventory, ignore: [])
            #expect(drifted.map(\.object.name) == ["web"])
            #expect(drifted.first?.text.contains("name: X") == true, "the added variable shows: \(drifted.first?.text ?? "")")
            #expect(drifted.first?.text.contains("replicas: 3") == true)
            let corrected = try await manager.correct(drifted, in: result, inventory: inventory, options: options(wait: false))
            #expect(corrected == 1)
            let live = try #require(try await client.get(ref("apps/v1", "Deployment", namespace, "web")))
            let env = live["spec"]?["template"]?["spec"]?["containers"]?.arrayValue?.first?["env"]?.arrayValue ?? []
            #expect(!env.contains { $0["name"] == .string("X") }, "correct removed the variable kiln does not render")
            #expect(live["spec"]?["replicas"] == .number(1))
            #expect(try await manager.drift(result, inventory: inventory, ignore: []).isEmpty)
        }
    }

    /// A Secret rendered without values (`kiln.dev/generated-keys`) holds a generated value after the first apply, and
    /// keeps it through re-applies; kiln's own apply never owns the value.
    func generatedSecretValuesAreWrittenOnce() async throws {
        try await inScratch("generated") { namespace in
            let secret = ManifestObject(apiVersion: "v1", kind: "Secret", name: "admin", namespace: namespace,
                                        annotations: [ConfigSecrets.generatedKeysAnnotation: "password"],
                                        body: [("type", .string("Opaque"))], release: "kiln-base")
            let result = Self.set(namespace, [Self.namespace(namespace), secret])
            let inventory = ApplySet(namespace: namespace)
            let first = try await manager.apply(result, inventory: inventory, options: options())
            #expect(first.generatedKeys == 1)
            let live = try #require(try await client.get(ref("v1", "Secret", namespace, "admin")))
            let value = try #require(live["data"]?["password"]?.stringValue)
            #expect(Data(base64Encoded: value)?.count == 32)
            let again = try await manager.apply(result, inventory: inventory, options: options())
            #expect(again.generatedKeys == 0 && again.unchanged == result.objects.count, "\(again)")
            #expect(try await client.get(ref("v1", "Secret", namespace, "admin"))?["data"]?["password"]?.stringValue == value)
            #expect(try await manager.drift(result, inventory: inventory, ignore: []).isEmpty, "a generated value is not drift")
        }
    }

    /// Prune deletes what left the config, never a PersistentVolumeClaim unless asked.
    func pruneSparesProtectedKinds() async throws {
        try await inScratch("prune") { namespace in
            let inventory = ApplySet(namespace: namespace)
            let claim = CoreObjects.persistentVolumeClaim("data", namespace: namespace, labels: [:], storageClass: "standard",
                                                          size: "1Gi", accessMode: "ReadWriteOnce", release: "kiln-base")
            let full = Self.set(namespace, Self.basics(namespace).objects + [Self.configMap("extra", namespace), claim])
            var prune = options(wait: false)
            prune.prune = true
            _ = try await manager.apply(full, inventory: inventory, options: prune)
            let smaller = Self.basics(namespace)
            let summary = try await manager.apply(smaller, inventory: inventory, options: prune)
            #expect(summary.pruned == 1)
            #expect(try await client.get(ref("v1", "ConfigMap", namespace, "extra")) == nil)
            #expect(try await client.get(ref("v1", "PersistentVolumeClaim", namespace, "data")) != nil, "a claim is never pruned by default")
            prune.pruneProtected = true
            #expect(try await manager.apply(smaller, inventory: inventory, options: prune).pruned == 1)
            #expect(try await client.get(ref("v1", "PersistentVolumeClaim", namespace, "data")) == nil)
        }
    }

    /// A disruption budget the render no longer holds goes with every apply, `--prune` or not: left behind, it would
    /// keep limiting evictions, and beside its replacements put a pod under two budgets, which the eviction API refuses
    /// (`mongodb-replicaset` gave way to `mongodb-primary`, `-secondary` and `-arbiter`). Other leftovers stay; a dry
    /// run deletes nothing.
    func aReplacedDisruptionBudgetGoesWithoutPrune() async throws {
        try await inScratch("budgets") { namespace in
            let inventory = ApplySet(namespace: namespace)
            func budget(_ name: String, member: Int? = nil) -> ManifestObject {
                var selector = ["app.kubernetes.io/name": "mongodb-replicaset"]
                if let member { selector["statefulset.kubernetes.io/pod-name"] = "mongodb-replicaset-\(member)" }
                return PolicyObjects.podDisruptionBudget(name, namespace: namespace, labels: [:], selector: selector, keepEach: member != nil,
                                                         release: "mongodb")
            }
            let waves = ["kiln-base": 0, "mongodb": 1]
            let extra = CoreObjects.configMap("extra", namespace: namespace, data: ["a": "1"], labels: [:], release: "mongodb")
            _ = try await manager.apply(Self.set(namespace, [Self.namespace(namespace), budget("mongodb-replicaset"), extra], waves: waves),
                                        inventory: inventory, options: options())
            let replaced = Self.set(namespace, [Self.namespace(namespace), budget("mongodb-primary", member: 0),
                                                budget("mongodb-secondary", member: 1)], waves: waves)
            var dry = options()
            dry.dryRun = true
            _ = try await manager.apply(replaced, inventory: inventory, options: dry)
            let old = ref("policy/v1", "PodDisruptionBudget", namespace, "mongodb-replicaset")
            #expect(try await client.get(old) != nil, "a dry run deletes nothing")
            let events = EventLog()
            let observed = ResourceManager(client: client, observe: { events.record($0) })
            let summary = try await observed.apply(replaced, inventory: inventory, options: options())
            #expect(summary.pruned == 1)
            #expect(try await client.get(old) == nil)
            #expect(try await client.get(ref("policy/v1", "PodDisruptionBudget", namespace, "mongodb-primary")) != nil)
            #expect(try await client.get(ref("v1", "ConfigMap", namespace, "extra")) != nil, "other kinds stay without --prune")
            #expect(events.all.contains { if case .pruned(let ref) = $0 { ref.name == "mongodb-replicaset" } else { false } }, "it is announced")
        }
    }

    /// A change the server refuses as immutable names the field; `--force` deletes and recreates the object.
    func immutableFieldsAndForce() async throws {
        try await inScratch("immutable") { namespace in
            let inventory = ApplySet(namespace: namespace)
            func frozen(_ value: String) -> RenderResult {
                var map = Self.configMap("frozen", namespace, data: ["k": value])
                map.body.append(("immutable", .bool(true)))
                return Self.set(namespace, [Self.namespace(namespace), map])
            }
            _ = try await manager.apply(frozen("one"), inventory: inventory, options: options())
            let uid = try await client.get(ref("v1", "ConfigMap", namespace, "frozen"))?["metadata"]?["uid"]
            do {
                _ = try await manager.apply(frozen("two"), inventory: inventory, options: options())
                Issue.record("the apply should stop on the immutable field")
            } catch let failure as ApplyFailure {
                #expect(failure.details.joined().contains("--force"), "\(failure)")
            }
            var force = options()
            force.recreate = true
            #expect(try await manager.apply(frozen("two"), inventory: inventory, options: force).recreated == 1)
            let live = try await client.get(ref("v1", "ConfigMap", namespace, "frozen"))
            #expect(live?["data"]?["k"] == .string("two"))
            #expect(live?["metadata"]?["uid"] != uid)
        }
    }

    /// Watch as the operator uses it, on the server's own event stream: the informer lists a scratch namespace,
    /// then sees a ConfigMap created and deleted there, in that order. Bounded by a 30 s deadline.
    func informerSeesChangesAsTheyHappen() async throws {
        try await inScratch("watch") { namespace in
            _ = try await manager.apply(Self.set(namespace, [Self.namespace(namespace)]), inventory: ApplySet(namespace: namespace),
                                        options: options())
            let settings = ref("v1", "ConfigMap", namespace, "watched")
            let client = self.client  // the task below takes the client, not the scenario
            let seen = try await withThrowingTaskGroup(of: [String].self) { group in
                group.addTask {
                    var types: [String] = []
                    for try await event in client.inform(apiVersion: "v1", kind: "ConfigMap", namespace: namespace) {
                        switch event {
                        case .listed:
                            _ = try await client.apply(Self.configMap("watched", namespace).json)
                        case .changed(let change) where change.object["metadata"]?["name"] == .string("watched"):
                            types.append(change.type.rawValue)
                            if change.type == .added { _ = try await client.delete(settings) }
                            if change.type == .deleted { return types }
                        default:
                            continue
                        }
                    }
                    return types
                }
                group.addTask {
                    try await Task.sleep(for: .seconds(30))
                    return ["timed out"]
                }
                let first = try await group.next() ?? []
                group.cancelAll()
                return first
            }
            #expect(seen.first == "ADDED" && seen.last == "DELETED", "\(seen)")
        }
    }

    /// Token and exec-plugin authentication (as `aws eks get-token` and `gke-gcloud-auth-plugin` are), whatever the
    /// suite's own kubeconfig uses (kind's is a client certificate): a ServiceAccount in the scratch namespace gets a
    /// token by a TokenRequest (as `kubectl create token` does), allowed to read ConfigMaps there; that token, given
    /// as the kubeconfig's `token` and then printed by an exec plugin, reads the ConfigMap kiln applied.
    func tokenAndExecPluginAuthenticate() async throws {
        try await inScratch("auth") { namespace in
            let result = Self.basics(namespace)  // ServiceAccount runner, allowed to get ConfigMaps by Role reader
            _ = try await manager.apply(result, inventory: ApplySet(namespace: namespace), options: options())
            let token = try await serviceAccountToken(namespace: namespace, name: "runner")
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent(Self.scratchName("auth"))
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            let plugin = dir.appendingPathComponent("get-token")
            let credential = #"{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"\#(token)"}}"#
            try "#!/bin/sh\ncat <<'EOF'\n\(credential)\nEOF\n".write(to: plugin, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: plugin.path)
            let users = [
                "token": "token: \(token)",
                "exec plugin": """
                    exec:
                          apiVersion: client.authentication.k8s.io/v1
                          command: \(plugin.path)
                          interactiveMode: Never
                    """,
            ]
            for (way, user) in users.sorted(by: { $0.key < $1.key }) {
                let text = try #require(kubeconfig(user), "the suite's kubeconfig names its cluster")
                let file = dir.appendingPathComponent("kubeconfig-\(way.replacingOccurrences(of: " ", with: "-"))")
                try text.write(to: file, atomically: true, encoding: .utf8)
                let client = KubeClient(try ClusterTarget.from(try Kubeconfig.load(explicit: file.path), context: nil))
                // A real API server's authorizer reads RBAC from a cache: the binding just made may take a moment to
                // count (a 403 until then). Bounded: 20 tries, 10 s.
                var settings: JSONValue?
                for attempt in 1...20 {
                    do {
                        settings = try await client.get(ref("v1", "ConfigMap", namespace, "settings"))
                        break
                    } catch let error as KubeError where error.status == 403 && attempt < 20 {
                        try await Task.sleep(for: .milliseconds(500))
                    }
                }
                #expect(settings?["data"]?["mode"] == .string("kiln"), "read with the ServiceAccount's token (\(way))")
            }
        }
    }

    /// A bound token for a ServiceAccount: `POST …/serviceaccounts/NAME/token` (a TokenRequest, ten minutes).
    func serviceAccountToken(namespace: String, name: String) async throws -> String {
        let body = #"{"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest","spec":{"expirationSeconds":600}}"#
        let request = HTTPRequest("POST", client.target.server + "/api/v1/namespaces/\(namespace)/serviceaccounts/\(name)/token",
                                  headers: [("Content-Type", "application/json"), ("Accept", "application/json")], body: Array(body.utf8))
        let response = try await client.http.send(request)
        #expect(response.status == 201, "TokenRequest: HTTP \(response.status) \(response.text.prefix(300))")
        let answer = try JSONReader.parse(response.text)
        return try #require(answer["status"]?["token"]?.stringValue, "the TokenRequest's answer holds a token")
    }

    // MARK: - Objects

    static func namespace(_ name: String) -> ManifestObject {
        CoreObjects.namespace(name, labels: [:], annotations: [:], release: "kiln-base")
    }

    static func configMap(_ name: String, _ namespace: String, data: [String: String] = ["mode": "kiln"]) -> ManifestObject {
        CoreObjects.configMap(name, namespace: namespace, data: data, labels: [:], release: "kiln-base")
    }

    static func set(_ namespace: String, _ objects: [ManifestObject], waves: [String: Int] = ["kiln-base": 0]) -> RenderResult {
        RenderResult(objects: KindOrder.sorted(objects, waves: waves), releases: waves.keys.sorted { (waves[$0]!, $0) < (waves[$1]!, $1) },
                     waves: waves, dependencies: [:], diagnostics: [], platform: PlatformIdentity(name: namespace, role: .controlPlane))
    }

    /// Kinds whose readiness needs no controller: a namespace, identity and rights, config, a service, a policy.
    static func basics(_ namespace: String) -> RenderResult {
        set(namespace, [
            Self.namespace(namespace),
            CoreObjects.serviceAccount("runner", namespace: namespace, labels: [:], pullSecret: nil, release: "kiln-base"),
            PolicyObjects.role("reader", namespace: namespace, labels: [:],
                               rules: [APIRule([""], ["configmaps"], ["get", "list", "watch"])], release: "kiln-base"),
            PolicyObjects.binding("reader", namespace: namespace, labels: [:], role: "reader",
                                  serviceAccount: "runner", serviceAccountNamespace: namespace, release: "kiln-base"),
            configMap("settings", namespace),
            CoreObjects.secret("token", namespace: namespace, type: "Opaque", stringData: ["token": "s3cr3t"], labels: [:], release: "kiln-base"),
            CoreObjects.service("web", namespace: namespace, labels: [:], selector: ["app": "web"], ports: [.init("http", 8080)], release: "kiln-base"),
            // Both types and no rules: deny everything (rendered without `egress: []`).
            PolicyObjects.networkPolicy("default-deny", namespace: namespace, labels: [:], podSelector: [:], ingress: [], egress: [],
                                        release: "kiln-base"),
        ])
    }

    static func withWorkload(_ namespace: String) -> RenderResult {
        let deployment = ManifestObject(apiVersion: "apps/v1", kind: "Deployment", name: "web", namespace: namespace, body: [
            ("spec", .object([
                ("replicas", .number(1)),
                ("selector", .object([("matchLabels", .object([("app", .string("web"))]))])),
                ("template", .object([
                    ("metadata", .object([("labels", .object([("app", .string("web"))]))])),
                    ("spec", .object([("containers", .array([.object([
                        ("name", .string("web")), ("image", .string("registry.k8s.io/pause:3.9")),
                        ("env", .array([.object([("name", .string("MODE")), ("value", .string("kiln"))])])),
                    ])]))])),
                ])),
            ])),
        ], release: "kiln-base")
        return set(namespace, [Self.namespace(namespace), deployment])
    }

    // MARK: - Plumbing

    func ref(_ apiVersion: String, _ kind: String, _ namespace: String?, _ name: String) -> ObjectReference {
        ObjectReference(apiVersion: apiVersion, kind: kind, namespace: namespace, name: name)
    }

    /// The resourceVersion of every object of a set, in order.
    func versions(_ result: RenderResult) async throws -> [String] {
        var out: [String] = []
        for object in result.objects {
            let live = try await client.get(ObjectReference(apiVersion: object.apiVersion, kind: object.kind, namespace: object.namespace, name: object.name))
            out.append(live?["metadata"]?["resourceVersion"]?.stringValue ?? "missing")
        }
        return out
    }

    /// A write by another field manager, as kubectl sends it.
    func patch(_ path: String, manager: String, type: String, _ body: String) async throws {
        let request = HTTPRequest("PATCH", client.target.server + path + "?fieldManager=\(manager)",
                                  headers: [("Content-Type", type), ("Accept", "application/json")], body: Array(body.utf8))
        let response = try await client.http.send(request)
        #expect((200...299).contains(response.status), "\(manager)'s patch of \(path): HTTP \(response.status) \(response.text.prefix(300))")
    }
}

