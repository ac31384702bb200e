import Foundation
import Kube
import Logging
import Manifests
import Operator
import Schema

/// What an operator scenario needs: a client for the cluster (the test API server or a real one), a scratch
/// namespace, operators started and stopped in it, and bounded waits.
final class OperatorHarness: @unchecked Sendable {
    let client: KubeClient
    let namespace: String
    /// A real cluster has no controllers: Deployments never become ready, so the operator does not wait for them.
    let waitForReadiness: Bool
    let logLines = LogLines()

    init(client: KubeClient, namespace: String, waitForReadiness: Bool) {
        self.client = client
        self.namespace = namespace
        self.waitForReadiness = waitForReadiness
    }

    static func scratchName(_ scenario: String) -> String {
        "kiln-op-\(scenario)-\(String(UInt32.random(in: 0...UInt32.max), radix: 36))"
    }

    /// Both CRDs applied, and served (a real API server takes a moment to serve a new CRD).
    func installCRDs() async throws {
        for crd in [PlatformResource.definition(labels: [:]), PlatformReleaseResource.definition(labels: [:])] {
            _ = try await client.apply(crd.json, force: true)
        }
        let probe = KubeClient(client.target)
        try await waitUntil("the CRDs are served", timeout: 30) {
            let releases = try? await probe.list(apiVersion: PlatformResource.apiVersion, kind: PlatformReleaseResource.kind, namespace: self.namespace)
            let platforms = try? await probe.list(apiVersion: PlatformResource.apiVersion, kind: PlatformResource.kind, namespace: self.namespace)
            return releases != nil && platforms != nil
        }
        _ = try await client.apply(.object([("apiVersion", .string("v1")), ("kind", .string("Namespace")),
                                            ("metadata", .object([("name", .string(namespace))]))]))
    }

    func deleteNamespace() async {
        _ = try? await client.delete(ObjectReference(apiVersion: "v1", kind: "Namespace", namespace: nil, name: namespace))
    }

    /// Fast timing; drift is checked every `drift` seconds (rarely, unless a scenario is about drift: each check reads
    /// every object).
    func timing(drift: Double = 60) -> OperatorTiming {
        var timing = OperatorTiming.fast
        timing.waitForReadiness = waitForReadiness
        timing.driftInterval = drift
        return timing
    }

    /// An operator for the scratch namespace, running in a task of its own.
    func start(_ identity: String = "op-a", planner: any PlatformPlanner = ScratchPlanner(), timing: OperatorTiming? = nil,
               client: KubeClient? = nil) -> RunningOperator {
        var configuration = KilnOperator.Configuration(namespace: namespace, identity: identity)
        configuration.timing = timing ?? self.timing()
        configuration.planner = planner
        let lines = logLines
        let logger = Logger(label: "kiln.operator.\(identity)") { label in JSONLogHandler(label: label) { lines.append($0) } }
        let kiln = KilnOperator(client: KubeClient((client ?? self.client).target), configuration: configuration, logger: logger)
        return RunningOperator(kiln: kiln, task: Task { try await kiln.run() })
    }

    struct RunningOperator {
        let kiln: KilnOperator
        let task: Task<Void, Error>

        /// SIGTERM's path: the step in flight finishes, the Lease is released.
        func stop() async throws {
            await kiln.stop()
            try await task.value
        }

        /// A crash: the task is cancelled wherever it is, nothing released.
        /// Waits for the operator to end by itself; what it threw (nil: it returned).
        func failure() async -> Error? {
            do { try await task.value; return nil } catch { return error }
        }

        func kill() async {
            task.cancel()
            _ = try? await task.value
        }
    }

    // MARK: Platforms

    func platformJSON(_ name: String, config: JSONValue, dryRun: Bool = false, suspend: Bool = false,
                      drift: JSONValue = .object([("mode", .string("warn"))])) -> JSONValue {
        .object([
            ("apiVersion", .string(PlatformResource.apiVersion)), ("kind", .string(PlatformResource.kind)),
            ("metadata", .object([("name", .string(name)), ("namespace", .string(namespace))])),
            ("spec", .object([("version", .string("6.1.2")), ("dryRun", .bool(dryRun)), ("suspend", .bool(suspend)), ("drift", drift),
                              ("config", config)])),
        ])
    }

    func createPlatform(_ name: String, config: JSONValue, dryRun: Bool = false, suspend: Bool = false,
                        drift: JSONValue = .object([("mode", .string("warn"))])) async throws {
        _ = try await client.create(platformJSON(name, config: config, dryRun: dryRun, suspend: suspend, drift: drift))
    }

    func platformRef(_ name: String) -> ObjectReference {
        ObjectReference(apiVersion: PlatformResource.apiVersion, kind: PlatformResource.kind, namespace: namespace, name: name)
    }

    func platform(_ name: String) async throws -> JSONValue {
        guard let object = try await client.get(platformRef(name)) else { throw Missing(what: "Platform \(name)") }
        return object
    }

    /// A merge patch of the Platform's spec, as `kubectl patch --type merge` (manager `kubectl-patch`).
    func patchSpec(_ name: String, _ spec: JSONValue) async throws {
        let body: JSONValue = .object([("spec", spec)])
        _ = try await client.patch(platformRef(name), type: .merge, body: Array(body.jsonText.utf8), fieldManager: "kubectl-patch")
    }

    func condition(_ platform: JSONValue, _ type: String) -> JSONValue? {
        platform["status"]?["conditions"]?.arrayValue?.first { $0["type"]?.stringValue == type }
    }

    /// Waits until the Platform's Ready condition is `status` for its current generation.
    @discardableResult
    func waitReady(_ name: String, _ status: String = "True", reason: String? = nil, timeout: Double = 60) async throws -> JSONValue {
        var last: JSONValue = .null
        try await waitUntil("Platform \(name) Ready=\(status)\(reason.map { " (\($0))" } ?? "")", timeout: timeout, detail: { "\(last.jsonText)" }) {
            last = try await self.platform(name)
            let ready = self.condition(last, "Ready")
            return ready?["status"]?.stringValue == status && (reason == nil || ready?["reason"]?.stringValue == reason)
                && last["status"]?["observedGeneration"] == last["metadata"]?["generation"]
        }
        return last
    }

    func object(_ apiVersion: String, _ kind: String, _ name: String) async throws -> JSONValue? {
        try await client.get(ObjectReference(apiVersion: apiVersion, kind: kind, namespace: namespace, name: name))
    }

    func events(reason: String) async throws -> [JSONValue] {
        try await client.list(apiVersion: "v1", kind: "Event", namespace: namespace).filter { $0["reason"]?.stringValue == reason }
    }

    // MARK: Waiting

    struct Missing: Error, CustomStringConvertible {
        let what: String
        var description: String { "\(what) does not exist" }
    }

    struct TimedOut: Error, CustomStringConvertible {
        let what: String
        let detail: String
        var description: String { "timed out waiting until \(what)\(detail.isEmpty ? "" : ": \(detail)")" }
    }

    /// Polls `check` every 50 ms until it holds, for at most `timeout` seconds.
    func waitUntil(_ what: String, timeout: Double = 60, detail: () -> String = { "" }, _ check: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now.advanced(by: .milliseconds(Int(timeout * 1000)))
        while ContinuousClock.now < deadline {
            if try await check() { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TimedOut(what: what, detail: detail())
    }
}

/// Log lines an operator wrote, for tests that read them.
final class LogLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
}
