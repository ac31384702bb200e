import Config
import Foundation
import Kube
import Manifests
import Operator
import Schema
import TestSupport

/// `kiln-bench operator [CONFIG]`: the `kiln operator` binary (beside this one) against the test API server, with
/// CONFIG's platform (default the full control plane). Prints the time from creating the Platform to Ready, from an
/// edit to Ready, the API requests of one idle drift check (no drift, no reconcile; Lease renewals not counted), and
/// the operator's resident memory after the install and after a minute of drift checks every second.
enum OperatorBenchmark {
    static func run(configPath: String) async throws {
        guard let root = ConfigLoader.load(ConfigRequest(path: configPath)).root else { throw Failure("cannot load \(configPath)") }
        let namespace = "domino-operator"
        let (exported, problems) = PlatformExport.export(ConfigView(root), namespace: namespace,
                                                         values: SecretValues(variable: { "bench-\($0)" }, readFile: { "bench-\($0)" }))
        guard let exported else { throw Failure("cannot export \(configPath): \(problems.map(\.message))") }
        let server = try TestAPIServer()
        defer { server.stop() }
        let client = KubeClient(ClusterTarget(server: server.url, namespace: namespace, http: HTTPClientSettings(), origin: "bench"))
        for crd in [PlatformResource.definition(labels: [:]), PlatformReleaseResource.definition(labels: [:])] {
            _ = try await client.apply(crd.json, force: true)
        }
        server.createNamespace(namespace)
        if let secret = exported.secret { _ = try await client.apply(secret.json) }

        let kubeconfig = NSTemporaryDirectory() + "kiln-bench-operator-\(getpid()).kubeconfig"
        try """
            apiVersion: v1
            kind: Config
            current-context: bench
            clusters: [{name: bench, cluster: {server: "\(server.url)"}}]
            users: [{name: bench, user: {token: bench}}]
            contexts: [{name: bench, context: {cluster: bench, user: bench}}]
            """.write(toFile: kubeconfig, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: kubeconfig) }
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("kiln")
        let process = Process()
        process.executableURL = binary
        process.arguments = ["operator", "--kubeconfig", kubeconfig, "--namespace", namespace, "--identity", "bench",
                             "--log-format", "json", "--no-health", "--drift-interval", "1s"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { process.terminate() }

        let ref = ObjectReference(apiVersion: PlatformResource.apiVersion, kind: PlatformResource.kind, namespace: namespace,
                                  name: exported.platform.name)
        var start = Date()
        _ = try await client.apply(exported.platform.json)
        try await waitReady(client, ref, generation: 1)
        print(String(format: "operator: Platform created → Ready (install, %d objects): %.2f s", try await objectCount(server), Date().timeIntervalSince(start)))
        let installed = rss(process.processIdentifier)

        start = Date()
        _ = try await client.patch(ref, type: .merge, body: Array(#"{"spec":{"drift":{"interval":"10m"}}}"#.utf8), fieldManager: "bench")
        try await waitReady(client, ref, generation: 2)
        print(String(format: "operator: Platform edited → Ready (a re-apply, nothing changed): %.2f s", Date().timeIntervalSince(start)))

        // Idle: drift checks every second, nothing else to do.
        try await Task.sleep(for: .seconds(3))
        let before = server.requestLog.count
        let window = 10.0
        try await Task.sleep(for: .seconds(window))
        let requests = server.requestLog.dropFirst(before).filter { !$0.contains("/leases/") && !$0.contains("watch=") }
        print(String(format: "operator: idle drift checks: %.0f API requests per check (%d in %.0f s, one check a second)",
                     Double(requests.count) / window, requests.count, window))
        try await Task.sleep(for: .seconds(47))
        print("operator: resident memory: \(installed) after the install, \(rss(process.processIdentifier)) after a minute of drift checks")
    }

    static func waitReady(_ client: KubeClient, _ ref: ObjectReference, generation: Int) async throws {
        let deadline = Date().addingTimeInterval(300)
        while Date() < deadline {
            let live = try await client.get(ref)
            let ready = live?["status"]?["conditions"]?.arrayValue?.first { $0["type"]?.stringValue == "Ready" }
            if ready?["status"]?.stringValue == "True", live?["status"]?["observedGeneration"]?.numberValue == Double(generation) { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw Failure("the Platform did not become Ready")
    }

    static func objectCount(_ server: TestAPIServer) async throws -> Int { server.objectCount }

    /// VmRSS from /proc, as `ps` reports it.
    static func rss(_ pid: Int32) -> String {
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        return status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") }.map { $0.dropFirst(6).trimmingCharacters(in: .whitespaces) } ?? "?"
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
