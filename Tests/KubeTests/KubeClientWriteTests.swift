import Foundation
import Kube
import Schema
import Testing

/// create, patch, replace, updateStatus and listObjects: the requests they send and the errors they raise.
@Suite(.serialized)
struct KubeClientWriteTests {
    static let object = try! JSONReader.parse(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"web","namespace":"apps","resourceVersion":"7"},"data":{"a":"1"}}"#)

    func echoing() throws -> ScriptedServer {
        try ScriptedServer { request in
            if request.path == "/api/v1" { return ScriptedAPI.coreDiscovery }
            if request.method == "GET" { return ScriptedAPI.configMapList(["x", "y"], resourceVersion: "42") }
            return .respond(request.method == "POST" ? 201 : 200, headers: [("Content-Type", "application/json")], body: request.body.isEmpty ? Array("{}".utf8) : request.body)
        }
    }

    @Test func eachVerbSendsItsMethodPathAndContentType() async throws {
        let server = try echoing()
        defer { server.stop() }
        let kube = ScriptedAPI.client(server.url)
        let ref = KubeClient.reference(Self.object)
        #expect(try await kube.create(Self.object, dryRun: true)["data"]?["a"] == .string("1"))
        _ = try await kube.patch(ref, type: .merge, body: Array(#"{"data":{"a":"2"}}"#.utf8))
        _ = try await kube.patch(ref, type: .json, body: Array(#"[{"op":"remove","path":"/data/a"}]"#.utf8), fieldManager: nil)
        _ = try await kube.patch(ref, type: .strategicMerge, body: Array("{}".utf8))
        _ = try await kube.replace(Self.object)
        _ = try await kube.updateStatus(Self.object)
        let list = try await kube.listObjects(apiVersion: "v1", kind: "ConfigMap", namespace: "apps")
        #expect(list.resourceVersion == "42")
        #expect(list.items.count == 2)
        let sent = server.log.dropFirst().map { "\($0.method) \($0.target) \($0.headers["content-type"] ?? "-")" }
        #expect(sent == [
            "POST /api/v1/namespaces/apps/configmaps?fieldManager=kiln&dryRun=All application/json",
            "PATCH /api/v1/namespaces/apps/configmaps/web?fieldManager=kiln application/merge-patch+json",
            "PATCH /api/v1/namespaces/apps/configmaps/web application/json-patch+json",
            "PATCH /api/v1/namespaces/apps/configmaps/web?fieldManager=kiln application/strategic-merge-patch+json",
            "PUT /api/v1/namespaces/apps/configmaps/web?fieldManager=kiln application/json",
            "PUT /api/v1/namespaces/apps/configmaps/web/status?fieldManager=kiln application/json",
            "GET /api/v1/namespaces/apps/configmaps -",
        ])
    }

    @Test func anImmutableFieldErrorKeepsItsCauses() async throws {
        let server = try ScriptedServer { request in
            if request.path == "/api/v1" { return ScriptedAPI.coreDiscovery }
            return .respond(422, headers: [("Content-Type", "application/json")], body: Array("""
                {"kind":"Status","apiVersion":"v1","status":"Failure","reason":"Invalid","code":422,
                 "message":"ConfigMap \\"web\\" is invalid: data: Forbidden: field is immutable when `immutable` is set",
                 "details":{"name":"web","kind":"ConfigMap","causes":[{"reason":"FieldValueForbidden","message":"Forbidden: field is immutable when `immutable` is set","field":"data"}]}}
                """.utf8))
        }
        defer { server.stop() }
        do {
            _ = try await ScriptedAPI.client(server.url).replace(Self.object)
            Issue.record("expected 422")
        } catch let error as KubeError {
            #expect(error.status == 422)
            #expect(error.causes == [KubeError.Cause(field: "data", message: "Forbidden: field is immutable when `immutable` is set",
                                                     reason: "FieldValueForbidden")])
            #expect(error.object == "ConfigMap apps/web")
        }
    }
}
