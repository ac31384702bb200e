import Foundation
import Kube

/// Pieces of Kubernetes API responses for scripted servers.
enum ScriptedAPI {
    /// `/api/v1` serving ConfigMaps (namespaced) and Namespaces.
    static let coreDiscovery = ScriptedServer.Reply.respond(200, headers: [("Content-Type", "application/json")], body: Array("""
        {"kind":"APIResourceList","groupVersion":"v1","resources":[
          {"name":"configmaps","namespaced":true,"kind":"ConfigMap"},{"name":"namespaces","namespaced":false,"kind":"Namespace"},
          {"name":"configmaps/status","namespaced":true,"kind":"ConfigMap"}]}
        """.utf8))

    static func status(_ code: Int, _ reason: String, _ message: String) -> ScriptedServer.Reply {
        .respond(code, headers: [("Content-Type", "application/json")], body: Array("""
            {"kind":"Status","apiVersion":"v1","status":"Failure","message":"\(message)","reason":"\(reason)","code":\(code)}
            """.utf8))
    }

    static func json(_ text: String) -> ScriptedServer.Reply {
        .respond(200, headers: [("Content-Type", "application/json")], body: Array(text.utf8))
    }

    static func configMapList(_ names: [String], resourceVersion: String) -> ScriptedServer.Reply {
        json("""
            {"kind":"ConfigMapList","apiVersion":"v1","metadata":{"resourceVersion":"\(resourceVersion)"},"items":[\(names.map { configMap($0, rv: resourceVersion) }.joined(separator: ","))]}
            """)
    }

    static func configMap(_ name: String, rv: String) -> String {
        "{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"\(name)\",\"namespace\":\"apps\",\"resourceVersion\":\"\(rv)\"}}"
    }

    static func event(_ type: String, _ name: String, rv: String) -> ScriptedServer.Piece {
        .line("{\"type\":\"\(type)\",\"object\":\(configMap(name, rv: rv))}")
    }

    static func bookmark(rv: String) -> ScriptedServer.Piece {
        .line("{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"\(rv)\"}}}")
    }

    static let expired = ScriptedServer.Piece.line(
        "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"too old resource version: 105 (150)\",\"reason\":\"Expired\",\"code\":410}}")

    static func client(_ url: String, retry: RetryPolicy = RetryPolicy(attempts: 2, initialDelay: 0.02, maxDelay: 0.1, deadline: 2)) -> KubeClient {
        var http = HTTPClientSettings()
        http.retry = retry
        http.timeout = 10
        return KubeClient(ClusterTarget(server: url, namespace: "apps", http: http, origin: "test"))
    }
}
