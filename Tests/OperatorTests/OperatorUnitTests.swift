import Apply
import Config
import Foundation
import Kube
import Logging
import Manifests
@testable import Operator
import Schema
import TestSupport
import Testing

struct SecretReferenceTests {
    @Test func theSecretFormNamesASecretAndAKey() {
        #expect(ValueReference.secret("${secret:quay-credentials/password}")! == ("quay-credentials", "password"))
        #expect(ValueReference.secret("${secret:db.creds/user_name-1}")! == ("db.creds", "user_name-1"))
        #expect(ValueReference.isReference("${secret:creds/password}"))
        for bad in ["${secret:creds}", "${secret:/key}", "${secret:creds/}", "${secret:Creds/key}", "${secret:a/b/c}", "${secret:a/k y}"] {
            #expect(ValueReference.secret(bad) == nil, "\(bad)")
            #expect(!ValueReference.isReference(bad), "\(bad)")
        }
    }

    @Test func kilnOutsideTheOperatorSaysWhereSecretsResolve() {
        let (value, problems) = SecretValues(variable: { _ in nil }, readFile: { _ in nil }).value(of: "${secret:creds/password}", at: "x.password")
        #expect(value == nil)
        #expect(problems.first?.code == SecretValues.missingSecret)
        #expect(problems.first?.message.contains("read by the operator") == true)
    }

    @Test func referencesAreFoundAnywhereInTheConfig() {
        let config = try! JSONReader.parse(#"{"a": "${secret:one/k}", "b": [{"c": "${secret:two/k}"}, "${secret:one/k}"], "d": "${env:X}"}"#)
        #expect(SecretResolver.references(in: config).map { "\($0.name)/\($0.key)" } == ["one/k", "two/k"])
    }
}

struct JSONPatchDiffTests {
    @Test func replacesAddsAndRemoves() throws {
        let old = try JSONReader.parse(#"{"spec": {"replicas": 3, "env": [{"name": "A"}, {"name": "X"}], "extra": true}}"#)
        let new = try JSONReader.parse(#"{"spec": {"replicas": 1, "env": [{"name": "A"}], "paused": false}}"#)
        let ops = JSONPatchDiff.operations(from: old, to: new).map(\.jsonText)
        #expect(ops == [
            #"{"op": "remove", "path": "/spec/extra"}"#,
            #"{"op": "replace", "path": "/spec/replicas", "value": 1}"#,
            #"{"op": "remove", "path": "/spec/env/1"}"#,
            #"{"op": "add", "path": "/spec/paused", "value": false}"#,
        ])
        #expect(JSONPatchDiff.operations(from: new, to: new).isEmpty)
        #expect(JSONPatchDiff.operations(from: .object([("a/b~c", .number(1))]), to: .object([("a/b~c", .number(2))])).first?["path"] == .string("/a~1b~0c"))
    }
}

struct ReleaseSuspensionTests {
    func release(_ name: String, suspend: Bool?) -> JSONValue {
        var spec: [(String, JSONValue)] = [("platform", .string("demo"))]
        if let suspend { spec.append(("suspend", .bool(suspend))) }
        return .object([("metadata", .object([("name", .string("demo-\(name)"))])), ("spec", .object(spec))])
    }

    @Test func aToggleForcesItsPlatformAndAnEditThatKeepsItDoesNot() {
        var suspensions = ReleaseSuspensions()
        #expect(suspensions.observe(.listed([release("nucleus", suspend: nil), release("keycloak", suspend: true)], resourceVersion: "1")).isEmpty,
                "the first list changes nothing")
        #expect(suspensions.observe(.changed(WatchEvent(type: .modified, object: release("nucleus", suspend: false)))).isEmpty,
                "an absent suspend is false")
        #expect(suspensions.observe(.changed(WatchEvent(type: .modified, object: release("nucleus", suspend: true)))) == ["demo"])
        #expect(suspensions.observe(.changed(WatchEvent(type: .deleted, object: release("keycloak", suspend: true)))) == ["demo"],
                "deleting a suspended release lifts its suspension")
        #expect(suspensions.observe(.changed(WatchEvent(type: .added, object: release("mongodb", suspend: false)))).isEmpty)
    }

    /// After a watch gap the informer relists: what changed during the gap counts as if it had been watched.
    @Test func aRelistComparesWithWhatWasKnown() {
        var suspensions = ReleaseSuspensions()
        _ = suspensions.observe(.listed([release("nucleus", suspend: false), release("keycloak", suspend: true)], resourceVersion: "1"))
        #expect(suspensions.observe(.listed([release("nucleus", suspend: false), release("keycloak", suspend: true)], resourceVersion: "9")).isEmpty)
        #expect(suspensions.observe(.listed([release("nucleus", suspend: true), release("keycloak", suspend: true)], resourceVersion: "12")) == ["demo"],
                "a release suspended during the gap")
        #expect(suspensions.observe(.listed([release("nucleus", suspend: true)], resourceVersion: "15")) == ["demo"],
                "a suspended release removed during the gap")
        #expect(suspensions.observe(.listed([release("nucleus", suspend: true), release("vault", suspend: true)], resourceVersion: "20")) == ["demo"],
                "a release created suspended during the gap")
    }
}

struct BackoffTests {
    @Test func growsWithJitterUpToTheCapAndStalls() {
        let backoff = Backoff(initial: 1, maximum: 8, stallAfter: 3)
        for _ in 0..<50 {
            #expect((0.5...1).contains(backoff.delay(after: 1)))
            #expect((2...4).contains(backoff.delay(after: 3)))
            #expect((4...8).contains(backoff.delay(after: 30)))
        }
        #expect(!backoff.isStalled(2))
        #expect(backoff.isStalled(3))
    }

    @Test func eventPatchesAreCutTo500Characters() {
        let long = String(repeating: "x", count: 600)
        #expect(EventRecorder.truncated(long).hasPrefix(String(repeating: "x", count: 500) + "… (truncated"))
        #expect(EventRecorder.truncated("short") == "short")
    }
}

@Suite(.serialized)
struct OperatorServerTests {
    func harness(_ server: TestAPIServer, _ scenario: String) async throws -> OperatorHarness {
        let h = OperatorHarness(client: testClient(server), namespace: OperatorHarness.scratchName(scenario), waitForReadiness: true)
        try await h.installCRDs()
        return h
    }

    /// Failures back off and, after `stallAfter` in a row, the Platform and its releases say Stalled; a fixed config
    /// reconciles at once.
    @Test func repeatedFailuresStall() async throws {
        let server = try TestAPIServer()
        defer { server.stop() }
        let h = try await harness(server, "stall")
        let op = h.start()
        try await h.createPlatform("demo", config: .object([("releases", .array([]))]))
        try await h.waitUntil("the Platform is Stalled", timeout: 60) {
            h.condition(try await h.platform("demo"), "Stalled")?["status"] == .string("True")
        }
        let platform = try await h.platform("demo")
        #expect(h.condition(platform, "Ready")?["reason"] == .string("ConfigInvalid"))
        #expect(h.condition(platform, "Stalled")?["message"]?.stringValue?.contains("namespace: required") == true)
        #expect((platform["status"]?["failures"]?.numberValue ?? 0) >= 3)
        try await h.patchSpec("demo", .object([("config", LiveOperatorScenarios.config(h.namespace))]))
        let ready = try await h.waitReady("demo")
        #expect(h.condition(ready, "Stalled")?["status"] == .string("False"))
        try await op.stop()
    }

    /// The real planner: an example config as a Platform, its secrets as `${secret:…}` references to one Secret; the
    /// operator validates, renders and applies the whole platform, and the rendered Secrets hold the values.
    @Test func aRealConfigGoesReadyWithSecretsFromTheCluster() async throws {
        let server = try TestAPIServer()
        defer { server.stop() }
        let h = try await harness(server, "real")
        let loaded = ConfigLoader.load(ConfigRequest(path: TestFixtures.examples.appendingPathComponent("data-plane.yaml").path))
        let (resource, problems) = PlatformRenderer.exportResource(ConfigView(try #require(loaded.root)))
        #expect(problems.isEmpty)
        var names: [String] = []
        func referencingSecrets(_ value: JSONValue) -> JSONValue {
            switch value {
            case .string(let text) where text.hasPrefix("${env:"):
                let name = String(text.dropFirst(6).dropLast())
                names.append(name)
                return .string("${secret:platform-secrets/\(name)}")
            case .array(let items): return .array(items.map(referencingSecrets))
            case .object(let members): return .object(members.map { ($0.0, referencingSecrets($0.1)) })
            default: return value
            }
        }
        let config = referencingSecrets(try #require(resource?.body.first { $0.0 == "spec" }?.1["config"]))
        #expect(!names.isEmpty, "the example refers to secrets")
        _ = try await h.client.create(CoreObjects.secret("platform-secrets", namespace: h.namespace, type: "Opaque",
                                                         stringData: Dictionary(names.map { ($0, "value-of-\($0)") }, uniquingKeysWith: { a, _ in a }),
                                                         labels: [:], release: "").json)
        var timing = h.timing()
        timing.driftInterval = 3600
        let op = h.start(planner: ConfigPlanner(), timing: timing)
        try await h.createPlatform("data-plane", config: config)
        let platform = try await h.waitReady("data-plane", timeout: 60)
        #expect(platform["status"]?["message"]?.stringValue?.contains("pruned") == true)
        let releases = try await h.client.list(apiVersion: PlatformResource.apiVersion, kind: PlatformReleaseResource.kind, namespace: h.namespace)
        #expect(releases.count == (platform["status"]?["releases"]?.arrayValue?.count ?? -1))
        #expect(releases.count > 1)
        #expect(server.requestLog.contains { $0.contains("/secrets/platform-secrets") })
        try await op.stop()
    }

    /// A config the validator refuses: the status names the problem.
    @Test func anInvalidConfigIsAClearStatusMessage() async throws {
        let server = try TestAPIServer()
        defer { server.stop() }
        let h = try await harness(server, "invalid")
        let op = h.start(planner: ConfigPlanner())
        try await h.createPlatform("broken", config: .object([("name", .string("x")), ("no_such_key", .bool(true))]))
        let platform = try await h.waitReady("broken", "False", reason: "ConfigInvalid")
        #expect(platform["status"]?["message"]?.stringValue?.contains("missing required key `schema`") == true, "\(platform["status"]?.jsonText ?? "")")
        try await op.stop()
    }

    /// `/healthz`, `/readyz` and `/metrics` answer; the metrics count reconciles and apply requests.
    @Test func healthAndMetricsEndpointsAnswer() async throws {
        let server = try TestAPIServer()
        defer { server.stop() }
        let h = try await harness(server, "metrics")
        let op = h.start()
        let kiln = op.kiln
        let health = try HealthServer(host: "127.0.0.1", port: 0, metrics: kiln.metrics, ready: { await kiln.isReady })
        let serving = Task { try await health.run() }
        defer { serving.cancel() }
        let port = try await health.port()
        try await h.createPlatform("demo", config: LiveOperatorScenarios.config(h.namespace))
        try await h.waitReady("demo")
        let http = HTTPClient(HTTPClientSettings())
        func get(_ path: String) async throws -> HTTPResponse { try await http.send(HTTPRequest("GET", "http://127.0.0.1:\(port)\(path)")) }
        #expect(try await get("/healthz").status == 200)
        #expect(try await get("/readyz").status == 200)
        let metrics = try await get("/metrics").text
        #expect(metrics.contains(#"kiln_operator_reconciles_total{result="applied"} 1"#), "\(metrics)")
        #expect(metrics.contains(#"kiln_operator_apply_requests_total{change="created"} 2"#), "\(metrics)")
        #expect(metrics.contains("kiln_operator_reconcile_duration_seconds_bucket"))
        #expect(metrics.contains("kiln_operator_leader 1"))
        try await op.stop()
        #expect(try await get("/readyz").status == 503)
        await health.stop()
    }
}

/// A client that connects and sends nothing is cut off at the head timeout, not held open for ever.
struct HealthServerTimeoutTests {
    @Test func aSilentConnectionIsClosedAtTheHeadTimeout() async throws {
        let health = try HealthServer(host: "127.0.0.1", port: 0, metrics: OperatorMetrics(), headTimeout: .milliseconds(300), ready: { true })
        let serving = Task { try await health.run() }
        defer { serving.cancel() }
        let port = try await health.port()
        let closed: Bool = await offPool {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(fd) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard connected == 0 else { return false }
            // The test's own bound: a server that never closes fails it. Generous, since the server's 300 ms timer
            // runs on the cooperative pool, which sync tests hold for the first 15-20 s of a CI run.
            var timeout = timeval(tv_sec: 90, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            var byte: UInt8 = 0
            return read(fd, &byte, 1) == 0  // end of file: the server closed it (-1 would be our 90 s timeout)
        }
        #expect(closed, "the server kept a silent connection open")
        #expect(try await HTTPClient(HTTPClientSettings()).send(HTTPRequest("GET", "http://127.0.0.1:\(port)/healthz")).status == 200,
                "the server still answers")
        await health.stop()
    }
}

/// `kiln bootstrap --image-registry R` runs the operator from `R/kiln/kiln:<version>`: where `kiln bundle push R` puts
/// the kiln image the bundle carries (BundleCommandTests pins the same name from the push side).
struct OperatorImageTests {
    @Test func anOfflineBootstrapRunsTheImageTheBundlePushed() {
        var install = OperatorInstall()
        #expect(install.resolvedImage == "quay.io/kiln/kiln:\(KilnVersion.current)")
        install.imageRegistry = "registry.airgap.example:5000"
        #expect(install.resolvedImage == "registry.airgap.example:5000/kiln/kiln:\(KilnVersion.current)")
    }
}

/// `kiln render --export-cr --secrets-dir` and `kiln bootstrap --config` move `${file:}` values into one Secret: two
/// files with one name stay two keys (one used to overwrite the other, and both references read it).
struct PlatformExportTests {
    @Test func twoFilesOfOneNameKeepTheirOwnKeys() throws {
        let text = """
            schema: "1.14"
            name: acme
            version: 6.1.2
            helm:
              image_registries:
                - {server: quay.io, username: a, password: "${file:/run/a/password}"}
                - {server: mirror.example.com, username: b, password: "${file:/run/b/password}"}
            """
        let root = try #require(ConfigFile.parse(text, name: "acme.yaml").root)
        let values = SecretValues(variable: { _ in nil }, readFile: { "content of \($0)" })
        let (exported, problems) = PlatformExport.export(ConfigView(root), namespace: "domino-operator", values: values)
        #expect(problems.isEmpty, "\(problems)")
        let result = try #require(exported)
        #expect(result.keys == ["file-password", "file-password-2"])
        let registries = result.platform.json["spec"]?["config"]?["helm"]?["image_registries"]?.arrayValue ?? []
        #expect(registries.map { $0["password"]?.stringValue } == ["${secret:acme-config-secrets/file-password}",
                                                                     "${secret:acme-config-secrets/file-password-2}"])
    }
}
