import Foundation
import Kube
import Schema
import TestSupport

/// What the semantics tests share: a server with namespace `apps`, kiln's client of it, and raw requests for the
/// verbs `KubeClient` does not have (other patch types, PUT, POST, status, watch) as kubectl or a controller sends them.
struct SemanticsCluster {
    let server: TestAPIServer
    let kube: KubeClient
    private let http: HTTPClient

    init() throws {
        server = try TestAPIServer()
        server.createNamespace("apps")
        var settings = HTTPClientSettings()
        settings.retry = .none
        kube = KubeClient(ClusterTarget(server: server.url, namespace: "apps", http: settings, origin: "test"))
        http = HTTPClient(settings)
    }

    func stop() { server.stop() }

    static let deploymentPath = "/apis/apps/v1/namespaces/apps/deployments/web"

    /// A raw request; the body's JSON (nil when it is not JSON, as a watch stream is not).
    func send(_ method: String, _ path: String, _ body: String? = nil, contentType: String = "application/json") async throws
        -> (status: Int, json: JSONValue?, text: String) {
        let request = HTTPRequest(method, server.url + path, headers: [("Content-Type", contentType), ("Accept", "application/json")],
                                  body: body.map { Array($0.utf8) })
        let response = try await http.send(request)
        return (response.status, try? JSONReader.parse(response.text), response.text)
    }

    /// A watch's events, one JSON object a line, until it times out.
    func watch(_ path: String) async throws -> [JSONValue] {
        let response = try await send("GET", path)
        return response.text.split(separator: "\n").compactMap { try? JSONReader.parse(String($0)) }
    }

    func deployment(_ containers: String, replicas: Int = 2) throws -> JSONValue {
        try JSONReader.parse("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"apps"},
             "spec":{"replicas":\(replicas),"selector":{"matchLabels":{"app":"web"}},
                     "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[\(containers)]}}}}
            """)
    }

    func live() -> JSONValue? { server.object("apps/v1/deployments/apps/web") }

    /// The names of the live Deployment's first container's env vars.
    func envNames() -> [String] {
        live()?["spec"]?["template"]?["spec"]?["containers"]?.arrayValue?.first?["env"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
    }

    /// The live object's managedFields entry of `manager`.
    func entry(_ manager: String, _ operation: ManagedFieldsEntry.Operation) -> ManagedFieldsEntry? {
        ManagedFieldsEntry.entries(of: live()).first { $0.manager == manager && $0.operation == operation }
    }
}
