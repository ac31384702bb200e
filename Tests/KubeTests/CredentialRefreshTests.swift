import Foundation
import Kube
import Testing

/// Exec plugin credentials: cached while valid, re-fetched when expired or refused (once per request).
@Suite(.serialized)
struct CredentialRefreshTests {
    /// A plugin that counts its runs in `runs` and prints token `tok-<run>` expiring at `expiry`, after flooding
    /// stderr (more than a pipe holds) to prove the two pipes drain together.
    func plugin(in dir: URL, expiry: String) throws -> String {
        let script = dir.appendingPathComponent("plugin")
        try """
            #!/bin/sh
            n=$(($(cat "\(dir.path)/runs" 2>/dev/null || echo 0) + 1))
            echo $n > "\(dir.path)/runs"
            head -c 300000 /dev/zero | tr '\\0' e >&2
            echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"tok-'$n'","expirationTimestamp":"\(expiry)"}}'
            """.write(to: script, atomically: true, encoding: .utf8)
        chmod(script.path, 0o755)
        return script.path
    }

    func runs(_ dir: URL) -> Int { Int((try? String(contentsOf: dir.appendingPathComponent("runs"), encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 0 }

    func client(_ server: ScriptedServer, plugin: String, dir: URL) throws -> KubeClient {
        let file = dir.appendingPathComponent("kubeconfig")
        try """
            current-context: x
            clusters: [{name: c, cluster: {server: "\(server.url)"}}]
            contexts: [{name: x, context: {cluster: c, user: u, namespace: apps}}]
            users: [{name: u, user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: "\(plugin)"}}}]
            """.write(to: file, atomically: true, encoding: .utf8)
        var target = try ClusterTarget.from(try Kubeconfig(file: file.path), context: nil)
        target.http.retry = .none
        return KubeClient(target)
    }

    func directory() throws -> URL {
        let dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("kiln-exec-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Serves ConfigMaps, refusing `refused` tokens with 401.
    func server(refusing refused: @escaping @Sendable (String) -> Bool) throws -> ScriptedServer {
        try ScriptedServer { request in
            if refused(request.headers["authorization"] ?? "") { return ScriptedAPI.status(401, "Unauthorized", "Unauthorized") }
            return request.path == "/api/v1" ? ScriptedAPI.coreDiscovery : ScriptedAPI.configMapList([], resourceVersion: "1")
        }
    }

    @Test func aRefusedTokenIsRefreshedOnceAndAValidOneIsReused() async throws {
        let dir = try directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let server = try server { $0 == "Bearer tok-1" }
        defer { server.stop() }
        let kube = try client(server, plugin: try plugin(in: dir, expiry: "2099-01-01T00:00:00Z"), dir: dir)
        #expect(runs(dir) == 1)
        _ = try await kube.list(apiVersion: "v1", kind: "ConfigMap", namespace: "apps")
        _ = try await kube.list(apiVersion: "v1", kind: "ConfigMap", namespace: "apps")
        #expect(runs(dir) == 2, "one run at start, one after the 401; the unexpired token is reused")
        #expect(server.log.map { $0.headers["authorization"] ?? "" } == ["Bearer tok-1", "Bearer tok-2", "Bearer tok-2", "Bearer tok-2"])
    }

    @Test func anExpiredCredentialIsFetchedAgainBeforeTheRequest() async throws {
        let dir = try directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let server = try server { _ in false }
        defer { server.stop() }
        let kube = try client(server, plugin: try plugin(in: dir, expiry: "2001-01-01T00:00:00.5Z"), dir: dir)
        _ = try await kube.list(apiVersion: "v1", kind: "ConfigMap", namespace: "apps")
        #expect(runs(dir) == 3, "the start, then before each of two requests")
        #expect(server.log.map { $0.headers["authorization"] ?? "" } == ["Bearer tok-2", "Bearer tok-3"])
    }

    @Test func credentialsRefusedEvenAfterARefreshAreAKubeErrorNotADiscoveryGap() async throws {
        let dir = try directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let server = try server { _ in true }
        defer { server.stop() }
        let kube = try client(server, plugin: try plugin(in: dir, expiry: "2099-01-01T00:00:00Z"), dir: dir)
        do {
            _ = try await kube.resource(apiVersion: "v1", kind: "ConfigMap")
            Issue.record("expected a 401")
        } catch let error as KubeError {
            #expect(error.status == 401)
            #expect(!error.description.contains("does not serve"))
            #expect(error.description.contains("the credentials were refused"))
        }
        #expect(runs(dir) == 2, "refreshed once for the request, not in a loop")
        #expect(server.log.count == 2)
    }
}
