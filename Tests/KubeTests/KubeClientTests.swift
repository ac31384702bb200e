import Foundation
import Kube
import Schema
import TestSupport
import Testing

@Suite(.serialized)
struct KubeClientTests {
    /// A client of `server`, which has the namespace `apps` these tests write to (a real server refuses writes to a
    /// namespace that does not exist).
    func client(_ server: TestAPIServer) -> KubeClient {
        server.createNamespace("apps")
        var http = HTTPClientSettings()
        http.retry = RetryPolicy(attempts: 3, initialDelay: 0.05, maxDelay: 1, deadline: 5)
        return KubeClient(ClusterTarget(server: server.url, namespace: "default", http: http, origin: "test"))
    }

    func deployment(replicas: Int, image: String = "nginx:1.27") throws -> JSONValue {
        try JSONReader.parse("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"apps","labels":{"tier":"front"}},
             "spec":{"replicas":\(replicas),"template":{"spec":{"containers":[{"name":"web","image":"\(image)"}]}}}}
            """)
    }

    @Test func discoveryMapsKindsToResources() async throws {
        let server = try TestAPIServer()
        defer { server.stop() }
        let kube = client(server)
        #expect(try await kube.resource(apiVersion: "apps/v1", kind: "Deployment") == .init(name: "deployments", namespaced: true))
        #expect(try await kube.resource(apiVersion: "v1", kind: "Namespace") == .init(name: "namespaces", namespaced: false))
        _ = try await kube.resource(apiVersion: "apps/v1", kind: "StatefulSet")
        #expect(server.requestLog.filter { $0 == "GET /apis/apps/v1" }.count == 1, "discovery is cached")
        do {
            _ = try await kube.resource(apiVersion: "example.com/v1", kind: "Widget")
            Issue.record("expected an error")
        } catch let error as KubeError {
            #expect(error.status == 404)
        }
    }

    @Test func applyCreatesThenUpdatesAndReportsNoChangeWhenNothingChanged() async throws {
        let server = try TestAPIServer()
        defer { server.stop() }
        let kube = client(server)
        let created = try await kube.apply(try deployment(replicas: 2))
        #expect(created["metadata"]?["generation"] == .number(1))
        let again = try await kube.apply(try deployment(replicas: 2))
        #expect(again["metadata"]?["resourceVersion"] == created["metadata"]?["resourceVersion"])
        let changed = try await kube.apply(try deployment(replicas: 3))
        #expect(changed["metadata"]?["generation"] == .number(2))
        #expect(changed["spec"]?["replicas"] == .number(3))
        #expect(server.requestLog.contains { $0.hasPrefix("PATCH /apis/apps/v1/namespaces/apps/deployments/web?fieldManager=kiln") })
    }

    @Test func aDryRunChangesNothing() async throws {
        let server = try TestAPIServer()
        defer { server.stop() }
        let kube = client(server)
        let result = try await kube.apply(try deployment(replicas: 2), dryRun: true)
        #expect(result["spec"]?["replicas"] == .number(2))
        #expect(server.object("apps/v1/deployments/apps/web") == nil)
        #expect(server.requestLog.last?.contains("dryRun=All") == true)
    }

    @Test func aFieldOwnedByAnotherManagerIsAConflictNamingIt() async throws {
        let server = try TestAPIServer()
        defer { server.stop() }
        let kube = client(server)
        _ = try await kube.apply(try deployment(replicas: 2))
        server.write(by: "kubectl-edit", key: "apps/v1/deployments/apps/web", path: ["spec", "replicas"], value: .number(5))
        do {
            _ = try await kube.apply(try deployment(replicas: 2))
            Issue.record("expected a conflict")
        } catch let error as KubeError {
            #expect(error.status == 409)
            #expect(error.conflictManagers == ["kubectl-edit"])
            #expect(error.hint?.contains("--force-conflicts") == true)
            #expect(error.description.contains("Deployment apps/web"))
        }
        let forced = try await kube.apply(try deployment(replicas: 2), force: true)
        #expect(forced["spec"]?["replicas"] == .number(2))
    }

    @Test func getListAndDelete() async throws {
        let server = try TestAPIServer()
        defer { server.stop() }
        let kube = client(server)
        let ref = ObjectReference(apiVersion: "apps/v1", kind: "Deployment", namespace: "apps", name: "web")
        #expect(try await kube.get(ref) == nil)
        _ = try await kube.apply(try deployment(replicas: 1))
        #expect(try await kube.get(ref)?["spec"]?["replicas"] == .number(1))
        #expect(try await kube.list(apiVersion: "apps/v1", kind: "Deployment", namespace: "apps", labelSelector: "tier=front").count == 1)
        #expect(try await kube.list(apiVersion: "apps/v1", kind: "Deployment", namespace: "apps", labelSelector: "tier!=front").isEmpty)
        #expect(try await kube.delete(ref))
        #expect(try await kube.delete(ref) == false)
        #expect(try await kube.get(ref) == nil)
    }

    @Test func statusIsWhatTheServerScripts() async throws {
        let server = try TestAPIServer()
        defer { server.stop() }
        server.statusScript = { _, _, gets in
            .object([("readyReplicas", .number(Double(min(gets, 2))))])
        }
        let kube = client(server)
        _ = try await kube.apply(try deployment(replicas: 2))
        let ref = ObjectReference(apiVersion: "apps/v1", kind: "Deployment", namespace: "apps", name: "web")
        #expect(try await kube.get(ref)?["status"]?["readyReplicas"] == .number(1))
        #expect(try await kube.get(ref)?["status"]?["readyReplicas"] == .number(2))
    }

    @Test func serverErrorsSurviveRetriesAndThenReportTheServersMessage() async throws {
        let server = try TestAPIServer()
        defer { server.stop() }
        let kube = client(server)
        server.inject(.status(500), times: 2)
        _ = try await kube.apply(try deployment(replicas: 1))  // two failures, then success
        server.inject(.status(500), times: 5)
        do {
            _ = try await kube.apply(try deployment(replicas: 1))
            Issue.record("expected an error")
        } catch let error as KubeError {
            #expect(error.status == 500)
            #expect(error.message == "injected fault")
            #expect(error.isUnavailable)
        }
    }
}
