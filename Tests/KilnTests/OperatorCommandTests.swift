import Foundation
import Kube
import Schema
import TestSupport
import Testing

/// The operator as an admin runs it: `kiln bootstrap`, `kiln operator` as a process, the admin commands, drift, and
/// SIGTERM — the built binary against the test API server. With KILN_WALKTHROUGH=FILE the commands and their output
/// are written there (the README's walkthrough is that file).
@Suite(.serialized)
struct OperatorCommandTests {
    let env = ["QUAY_USERNAME": "robot", "QUAY_PASSWORD": "quay-pw-123", "SMTP_PASSWORD": "smtp-pw-456"]
    let example = "examples/data-plane.yaml"

    final class Transcript: @unchecked Sendable {
        var text = ""
        func add(_ command: String, _ result: KilnBinary.Result) {
            text += "$ \(command)\n" + result.stdout + (result.stdout.hasSuffix("\n") || result.stdout.isEmpty ? "" : "\n")
        }
    }

    func kubeconfig(_ server: String) throws -> URL { try KilnBinary.kubeconfig(server, token: "op-token") }

    /// Polls `check` every 200 ms for at most `seconds` (checks read the test server in-process: a `kiln` process per
    /// poll would load the machine the other suites share).
    func eventually(_ what: String, seconds: Double = 60, _ check: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try check() { return }
            Thread.sleep(forTimeInterval: 0.2)
        }
        Issue.record("timed out waiting until \(what)")
        throw CancellationError()
    }

    @Test func bootstrapOperateDriftAndShutDown() async throws {
        let server = try TestAPIServer()
        defer { server.stop() }
        let config = try kubeconfig(server.url)
        let transcript = Transcript()
        func kiln(_ arguments: [String], show: String? = nil) async throws -> KilnBinary.Result {
            let result = try await KilnBinary.run(arguments + ["--kubeconfig", config.path], environment: env)
            if let show { transcript.add(show, result) }
            return result
        }

        let exported = try await kiln(["bootstrap", "--config", example, "--export"])
        #expect(exported.status == 0, "\(exported.stderr)")
        #expect(exported.stdout.contains("kind: CustomResourceDefinition") && exported.stdout.contains("name: platformreleases.kiln.dev"))
        #expect(exported.stdout.contains("kind: Platform\n") && exported.stdout.contains("${secret:"))
        #expect(!exported.stdout.contains("quay-pw-123") && !exported.stdout.contains("kind: Secret"), "--export printed a secret")
        #expect(exported.stderr.contains("not printed: Secret domino-operator/kiln-operator-registry"))

        let bootstrap = try await kiln(["bootstrap", "--config", example, "--replicas", "1"], show: "kiln bootstrap --config \(example) --replicas 1")
        #expect(bootstrap.status == 0, "\(bootstrap.stderr)")
        #expect(bootstrap.stdout.contains("operator: 10 created"), "\(bootstrap.stdout)")
        let again = try await kiln(["bootstrap", "--config", example, "--replicas", "1"])
        #expect(again.stdout.contains("operator: 0 created, 0 configured, 10 unchanged"), "bootstrap is idempotent: \(again.stdout)")
        #expect(server.object("apps/v1/deployments/domino-operator/kiln-operator") != nil)
        #expect(server.object("rbac.authorization.k8s.io/v1/clusterroles//kiln-operator") != nil)
        let secret = server.object("v1/secrets/domino-operator/kiln-operator-registry")
        #expect(secret?["type"] == .string("kubernetes.io/dockerconfigjson"))

        // The operator, as the Deployment would run it (here from the workstation's kubeconfig).
        let log = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("kiln-operator-\(UUID().uuidString).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: log) }
        let process = Process()
        process.executableURL = KilnBinary.url
        process.arguments = ["operator", "--kubeconfig", config.path, "--namespace", "domino-operator", "--identity", "kiln-operator-0",
                             "--log-format", "json", "--health-address", "127.0.0.1:0", "--drift-interval", "1s", "--lease-duration", "9s"]
        process.environment = ProcessInfo.processInfo.environment
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        try eventually("the Platform is Ready") {
            server.object("kiln.dev/v1alpha1/platforms/domino-operator/dp-west")?["status"]?["conditions"]?.arrayValue?
                .contains { $0["type"] == .string("Ready") && $0["status"] == .string("True") } == true
        }
        let platform = try await kiln(["get", "platform"], show: "kiln get platform")
        #expect(platform.stdout.contains("NAME") && platform.stdout.contains("VERSION") && platform.stdout.contains("DRY RUN"))
        let releases = try await kiln(["get", "releases"], show: "kiln get releases")
        #expect(releases.stdout.contains("InSync") && releases.stdout.contains("DRIFT MODE"), "\(releases.stdout)")

        // Someone scales a Deployment of the platform by hand.
        let deployments = try await kiln(["get", "releases", "--format", "json"])
        let rows = try JSONReader.parse(deployments.stdout).arrayValue ?? []
        #expect(!rows.isEmpty)
        let key = server.requestLog.compactMap { line -> String? in
            guard line.hasPrefix("PATCH /apis/apps/v1/namespaces/"), line.contains("/deployments/") else { return nil }
            let path = line.dropFirst("PATCH /apis/apps/v1/namespaces/".count).split(separator: "?")[0].split(separator: "/")
            // One of the platform's, and one no autoscaler scales (drift leaves an autoscaled count alone).
            guard path[0] != "domino-operator", server.object("autoscaling/v2/horizontalpodautoscalers/\(path[0])/\(path[2])") == nil else { return nil }
            return "apps/v1/deployments/\(path[0])/\(path[2])"
        }.first
        let target = try #require(key, "the platform has a Deployment")
        server.write(by: "kubectl-scale", key: target, path: ["spec", "replicas"], value: .number(7))
        let release = try #require(server.object(target)?["metadata"]?["labels"]?["kiln.dev/release"]?.stringValue)
        let releaseKey = "kiln.dev/v1alpha1/platformreleases/domino-operator/dp-west-\(release)"
        try eventually("the release reports Drifted") { server.object(releaseKey)?["status"]?["reason"] == .string("Drifted") }
        let drifted = try await kiln(["get", "releases", "--status", "ready=true"], show: "kiln get releases --status ready=true")
        #expect(drifted.stdout.contains("Drifted"))
        let events = try await kubectlEvents(server)
        let warning = events.first { $0["reason"] == .string("DriftDetected") }
        #expect(warning?["message"]?.stringValue?.contains("/spec/replicas") == true)
        if let message = warning?["message"]?.stringValue { transcript.text += "# the Warning event on the release:\n\(message)\n" }

        let suspend = try await kiln(["suspend"], show: "kiln suspend")
        #expect(suspend.status == 0 && suspend.stdout.contains("suspended"), "\(suspend.stderr)")
        #expect(try await kiln(["get", "platform"]).stdout.contains("true"))
        // Bootstrapping again while suspended neither conflicts on spec.suspend nor resumes the platform.
        let rebootstrap = try await kiln(["bootstrap", "--config", example, "--replicas", "1"])
        #expect(rebootstrap.status == 0, "\(rebootstrap.stderr)")
        #expect(server.object("kiln.dev/v1alpha1/platforms/domino-operator/dp-west")?["spec"]?["suspend"] == .bool(true))
        #expect(try await kiln(["resume"], show: "kiln resume").status == 0)
        let reconcile = try await kiln(["reconcile"], show: "kiln reconcile")
        #expect(reconcile.status == 0 && reconcile.stdout.contains("requested"))
        #expect(try await kiln(["suspend", "no-such-release"]).status == 1)

        // Correct mode: the operator puts the Deployment back.
        let json = try JSONReader.parse(try await kiln(["get", "platform", "--format", "json"]).stdout)
        #expect(json.arrayValue?.first?["name"] == .string("dp-west") && json.arrayValue?.first?["suspended"] == .bool(false))
        server.write(by: "kubectl-edit", key: "kiln.dev/v1alpha1/platforms/domino-operator/dp-west",
                     path: ["spec", "drift", "mode"], value: .string("correct"))
        try eventually("the Deployment is scaled back") { server.object(target)?["spec"]?["replicas"] != .number(7) }
        try eventually("the release is InSync again") { server.object(releaseKey)?["status"]?["reason"] == .string("InSync") }
        _ = try await kiln(["get", "releases"], show: "kiln get releases   # after spec.drift.mode: correct")

        // The operator's log through the API, as `kubectl logs` reads it.
        func pod(_ name: String, log: String) {
            server.put("v1/pods/domino-operator/\(name)", .object([
                ("apiVersion", .string("v1")), ("kind", .string("Pod")),
                ("metadata", .object([("name", .string(name)), ("namespace", .string("domino-operator")),
                                      ("labels", .object([("app.kubernetes.io/name", .string("kiln-operator"))])),
                                      ("annotations", .object([(TestAPIServer.podLogAnnotation, .string(log))]))])),
            ]))
        }
        pod("kiln-operator-0", log: "line one\nline two\n")
        pod("kiln-operator-1", log: "standby\n")
        let logs = try await kiln(["logs", "operator"])
        #expect(logs.status == 0 && logs.stdout == "line one\nline two\n", "the leader's pod: \(logs.stdout) \(logs.stderr)")
        // An operator run with --lease-name: its Lease names the leader.
        server.put("coordination.k8s.io/v1/leases/domino-operator/other-lease", .object([
            ("apiVersion", .string("coordination.k8s.io/v1")), ("kind", .string("Lease")),
            ("metadata", .object([("name", .string("other-lease")), ("namespace", .string("domino-operator"))])),
            ("spec", .object([("holderIdentity", .string("kiln-operator-1"))])),
        ]))
        let other = try await kiln(["logs", "operator", "--lease-name", "other-lease"])
        #expect(other.status == 0 && other.stdout == "standby\n", "\(other.stdout) \(other.stderr)")

        // SIGTERM: the operator finishes its step, releases the Lease and exits 0.
        process.terminate()
        let deadline = Date().addingTimeInterval(30)
        while process.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        #expect(!process.isRunning)
        #expect(process.terminationStatus == 0, "\(String(decoding: (try? Data(contentsOf: log)) ?? Data(), as: UTF8.self).suffix(2000))")
        let lease = server.object("coordination.k8s.io/v1/leases/domino-operator/kiln-operator")
        #expect(lease?["spec"]?["holderIdentity"] == .string(""), "the Lease was released")
        let logText = String(decoding: (try? Data(contentsOf: log)) ?? Data(), as: UTF8.self)
        #expect(logText.contains(#""msg":"reconciled""#))
        #expect(!logText.contains("quay-pw-123") && !logText.contains("smtp-pw-456"), "a secret reached the log")
        if let path = ProcessInfo.processInfo.environment["KILN_WALKTHROUGH"] {
            try (transcript.text + "# the operator's log (JSON lines), first lines:\n" + logText.split(separator: "\n").prefix(6).joined(separator: "\n") + "\n")
                .write(toFile: path, atomically: true, encoding: .utf8)
        }
    }

    /// `--dry-run` on a fresh cluster stores nothing and says what it would do; `get releases` filters and spans
    /// namespaces; a bad `--status` is a usage error.
    @Test func aDryRunBootstrapStoresNothing() async throws {
        let server = try TestAPIServer()
        defer { server.stop() }
        let config = try kubeconfig(server.url)
        let dry = try await KilnBinary.run(["bootstrap", "--config", example, "--dry-run", "--kubeconfig", config.path], environment: env)
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains("dry run: operator: 10 created"), "\(dry.stdout)")
        #expect(dry.stdout.contains("would be created once its CRD is installed"), "\(dry.stdout)")
        #expect(server.objectCount == 0, "a dry run stored objects")
        #expect(try await KilnBinary.run(["get", "releases", "--status", "bogus", "--kubeconfig", config.path]).status == 2)
        let none = try await KilnBinary.run(["get", "platform", "--kubeconfig", config.path])
        #expect(none.status != 0)
    }

    /// `render --export-cr --secrets-dir DIR`: the Secret goes to DIR (0600), the resource refers to it and holds no value.
    @Test func exportCRForTheOperatorWritesItsSecretApart() async throws {
        let dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("kiln-export-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try await KilnBinary.run(["render", example, "--export-cr", "--secrets-dir", dir], environment: env)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("apiVersion: kiln.dev/v1alpha1\nkind: Platform\n"))
        #expect(r.stdout.contains("${secret:dp-west-config-secrets/QUAY_PASSWORD}"), "\(r.stdout)")
        #expect(!r.stdout.contains("quay-pw-123") && !r.stdout.contains("${env:"))
        let path = dir + "/dp-west-config-secrets.yaml"
        let secret = try String(contentsOfFile: path, encoding: .utf8)
        #expect(secret.contains("kind: Secret") && secret.contains("quay-pw-123"))
        let mode = (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue
        #expect(mode == 0o600)
    }

    /// Every Event in the operator's namespace.
    func kubectlEvents(_ server: TestAPIServer) async throws -> [JSONValue] {
        var http = HTTPClientSettings()
        http.bearerToken = "op-token"
        let client = KubeClient(ClusterTarget(server: server.url, namespace: "domino-operator", http: http, origin: "test"))
        return try await client.list(apiVersion: "v1", kind: "Event", namespace: "domino-operator")
    }
}
