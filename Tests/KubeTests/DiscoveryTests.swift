import Foundation
import Kube
import Testing

/// Discovery under concurrency, preferred versions, and refused credentials during discovery.
@Suite(.serialized)
struct DiscoveryTests {
    static let groups = ScriptedAPI.json("""
        {"kind":"APIGroupList","apiVersion":"v1","groups":[
          {"name":"apps","versions":[{"groupVersion":"apps/v1","version":"v1"}],"preferredVersion":{"groupVersion":"apps/v1","version":"v1"}},
          {"name":"autoscaling","versions":[{"groupVersion":"autoscaling/v2","version":"v2"},{"groupVersion":"autoscaling/v1","version":"v1"}],
           "preferredVersion":{"groupVersion":"autoscaling/v2","version":"v2"}}]}
        """)

    @Test func concurrentFirstLookupsOfOneGroupVersionMakeOneRequest() async throws {
        let server = try ScriptedServer { request in
            request.path == "/api/v1" ? .delay(0.2, then: Array(#"{"kind":"APIResourceList","groupVersion":"v1","resources":[{"name":"configmaps","namespaced":true,"kind":"ConfigMap"}]}"#.utf8)) : .respond(404)
        }
        defer { server.stop() }
        let kube = ScriptedAPI.client(server.url)
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<8 { group.addTask { try await kube.resource(apiVersion: "v1", kind: "ConfigMap").namespaced } }
            for try await namespaced in group { #expect(namespaced) }
        }
        #expect(server.log.count == 1)
    }

    @Test func preferredVersionsComeFromAPIAndAPIsOnce() async throws {
        let server = try ScriptedServer { request in
            switch request.path {
            case "/api": return ScriptedAPI.json(#"{"kind":"APIVersions","versions":["v1"]}"#)
            case "/apis": return Self.groups
            default: return .respond(404)
            }
        }
        defer { server.stop() }
        let kube = ScriptedAPI.client(server.url)
        #expect(try await kube.preferredVersion(group: "") == "v1")
        #expect(try await kube.preferredVersion(group: "autoscaling") == "v2")
        #expect(try await kube.preferredVersion(group: "apps") == "v1")
        #expect(try await kube.preferredVersion(group: "example.com") == nil)
        #expect(server.log.map(\.path) == ["/api", "/apis"])
    }

    @Test func aForbiddenDiscoveryIsTheForbiddenErrorAndAMissingGroupVersionIsNotServed() async throws {
        let server = try ScriptedServer { request in
            request.path == "/api/v1" ? ScriptedAPI.status(403, "Forbidden", "forbidden: User cannot get path /api/v1")
                : ScriptedAPI.status(404, "NotFound", "the server could not find the requested resource")
        }
        defer { server.stop() }
        let kube = ScriptedAPI.client(server.url)
        do {
            _ = try await kube.resource(apiVersion: "v1", kind: "ConfigMap")
            Issue.record("expected 403")
        } catch let error as KubeError {
            #expect(error.status == 403)
            #expect(error.reason == "Forbidden")
            #expect(!error.description.contains("does not serve"))
        }
        do {
            _ = try await kube.resource(apiVersion: "example.com/v1", kind: "Widget")
            Issue.record("expected 404")
        } catch let error as KubeError {
            #expect(error.status == 404)
            #expect(error.description.contains("does not serve example.com/v1"))
        }
    }
}
