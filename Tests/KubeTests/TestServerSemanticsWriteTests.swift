import Foundation
import Kube
import Schema
import TestSupport
import Testing

/// Writes besides apply, as the API server answers them (https://kubernetes.io/docs/reference/using-api/api-concepts/).
@Suite(.serialized)
struct TestServerSemanticsWriteTests {
    static let web = #"{"name":"app","image":"nginx:1.27"}"#

    /// `dryRun=All` runs every check and stores nothing; the NamespaceLifecycle admission plugin refuses writes to
    /// a namespace that does not exist, dry runs included.
    @Test func aDryRunStoresNothingAndFailsInAMissingNamespace() async throws {
        let cluster = try SemanticsCluster()
        defer { cluster.stop() }
        let before = cluster.server.resourceVersion
        let result = try await cluster.kube.apply(try cluster.deployment(Self.web), dryRun: true)
        #expect(result["metadata"]?["uid"] != nil)
        #expect(cluster.live() == nil)
        #expect(cluster.server.resourceVersion == before)
        let elsewhere = try JSONReader.parse(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","namespace":"nowhere"}}"#)
        do {
            _ = try await cluster.kube.apply(elsewhere, dryRun: true)
            Issue.record("expected 404")
        } catch let error as KubeError {
            #expect(error.status == 404)
            #expect(error.message == "namespaces \"nowhere\" not found")
        }
        let created = try await cluster.send("POST", "/api/v1/namespaces/apps/configmaps?dryRun=All",
                                             #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"}}"#)
        #expect(created.status == 201)
        #expect(cluster.server.object("v1/configmaps/apps/c") == nil)
    }

    /// Deleting a namespace deletes what is in it.
    @Test func deletingANamespaceDeletesItsObjects() async throws {
        let cluster = try SemanticsCluster()
        defer { cluster.stop() }
        _ = try await cluster.kube.apply(try cluster.deployment(Self.web))
        try await cluster.kube.delete(ObjectReference(apiVersion: "v1", kind: "Namespace", namespace: nil, name: "apps"))
        #expect(cluster.live() == nil)
    }

    /// With a status subresource, main-resource writes ignore `.status` and status writes touch only `.status`
    /// (and take no generation).
    @Test func theStatusSubresourceKeepsSpecAndStatusApart() async throws {
        let cluster = try SemanticsCluster()
        defer { cluster.stop() }
        cluster.server.healthyByDefault = false
        var withStatus = try cluster.deployment(Self.web)
        withStatus = .object((withStatus.objectValue ?? []) + [("status", .object([("replicas", .number(9))]))])
        _ = try await cluster.kube.apply(withStatus)
        #expect(cluster.live()?["status"] == nil, "the main resource ignores status")
        let status = #"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"replicas":7},"status":{"readyReplicas":2}}"#
        let written = try await cluster.send("PATCH", SemanticsCluster.deploymentPath + "/status?fieldManager=controller", status,
                                             contentType: "application/merge-patch+json")
        #expect(written.status == 200)
        #expect(cluster.live()?["status"]?["readyReplicas"] == .number(2))
        #expect(cluster.live()?["spec"]?["replicas"] == .number(2), "a status write changes nothing else")
        #expect(cluster.live()?["metadata"]?["generation"] == .number(1))
        #expect(ManagedFieldsEntry.entries(of: cluster.live()).contains { $0.manager == "controller" && $0.subresource == "status" })
        let read = try await cluster.send("GET", SemanticsCluster.deploymentPath + "/status")
        #expect(read.json?["status"]?["readyReplicas"] == .number(2))
    }

    /// Immutable fields are refused with 422 Invalid, a cause per field, in the API server's words.
    @Test func immutableFieldsAreRefusedWithTheServersMessages() async throws {
        let cluster = try SemanticsCluster()
        defer { cluster.stop() }
        func storageClass(_ parameters: String) throws -> JSONValue {
            try JSONReader.parse("""
                {"apiVersion":"storage.k8s.io/v1","kind":"StorageClass","metadata":{"name":"fast"},"provisioner":"ebs.csi.aws.com",
                 "parameters":{"type":"\(parameters)"}}
                """)
        }
        _ = try await cluster.kube.apply(try storageClass("gp3"))
        let refused = try await cluster.send("PATCH", "/apis/storage.k8s.io/v1/storageclasses/fast?fieldManager=kiln",
                                             try storageClass("io2").jsonText, contentType: "application/apply-patch+yaml")
        #expect(refused.status == 422)
        #expect(refused.json?["reason"] == .string("Invalid"))
        #expect(refused.json?["message"] == .string("StorageClass.storage.k8s.io \"fast\" is invalid: parameters: Forbidden: updates to parameters are forbidden."))
        #expect(refused.json?["details"]?["causes"]?.arrayValue?.first?["field"] == .string("parameters"))

        _ = try await cluster.kube.apply(try cluster.deployment(Self.web))
        let selector = #"{"spec":{"selector":{"matchLabels":{"app":"other"}}}}"#
        let moved = try await cluster.send("PATCH", SemanticsCluster.deploymentPath, selector, contentType: "application/merge-patch+json")
        #expect(moved.status == 422)
        #expect(moved.json?["message"]?.stringValue?.hasPrefix("Deployment.apps \"web\" is invalid: spec.selector: Invalid value: ") == true)
        #expect(moved.json?["message"]?.stringValue?.hasSuffix(": field is immutable") == true)

        let set = try JSONReader.parse("""
            {"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"db","namespace":"apps"},
             "spec":{"serviceName":"db","replicas":1,"selector":{"matchLabels":{"app":"db"}},"template":{"spec":{"containers":[]}}}}
            """)
        _ = try await cluster.kube.apply(set)
        let renamed = try await cluster.send("PATCH", "/apis/apps/v1/namespaces/apps/statefulsets/db", #"{"spec":{"serviceName":"db2"}}"#,
                                             contentType: "application/merge-patch+json")
        #expect(renamed.status == 422)
        #expect(renamed.json?["message"]?.stringValue?.contains("spec: Forbidden: updates to statefulset spec for fields other than") == true)
        let scaled = try await cluster.send("PATCH", "/apis/apps/v1/namespaces/apps/statefulsets/db", #"{"spec":{"replicas":3}}"#,
                                            contentType: "application/merge-patch+json")
        #expect(scaled.status == 200)

        let frozen = #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"frozen"},"immutable":true,"data":{"a":"1"}}"#
        #expect(try await cluster.send("POST", "/api/v1/namespaces/apps/configmaps", frozen).status == 201)
        let thawed = try await cluster.send("PATCH", "/api/v1/namespaces/apps/configmaps/frozen", #"{"data":{"a":"2"}}"#,
                                            contentType: "application/merge-patch+json")
        #expect(thawed.status == 422)
        #expect(thawed.json?["message"]?.stringValue?.contains("data: Forbidden: field is immutable when `immutable` is set") == true)
    }

    /// PUT with a resourceVersion is an optimistic-concurrency precondition: a stale one is 409 Conflict.
    @Test func aPutWithAStaleResourceVersionConflicts() async throws {
        let cluster = try SemanticsCluster()
        defer { cluster.stop() }
        let created = try await cluster.kube.apply(try cluster.deployment(Self.web))
        let stale = created["metadata"]?["resourceVersion"]?.stringValue ?? ""
        _ = try await cluster.kube.apply(try cluster.deployment(Self.web, replicas: 4))
        let replaced = JSONEditing.setting(created, ["spec", "replicas"], .number(6))
        let put = try await cluster.send("PUT", SemanticsCluster.deploymentPath + "?fieldManager=kubectl-replace", replaced.jsonText)
        #expect(put.status == 409)
        #expect(put.json?["message"]?.stringValue?.contains("the object has been modified") == true)
        #expect(stale != cluster.live()?["metadata"]?["resourceVersion"]?.stringValue)
        let fresh = JSONEditing.setting(cluster.live()!, ["spec", "replicas"], .number(6))
        let accepted = try await cluster.send("PUT", SemanticsCluster.deploymentPath + "?fieldManager=kubectl-replace", fresh.jsonText)
        #expect(accepted.status == 200)
        #expect(cluster.entry("kubectl-replace", .update)?.fields.contains([.field("spec"), .field("replicas")]) == true)
        let exists = try await cluster.send("POST", "/apis/apps/v1/namespaces/apps/deployments", fresh.jsonText)
        #expect(exists.status == 409)
        #expect(exists.json?["reason"] == .string("AlreadyExists"))
    }

    /// JSON patch operations, `test` included.
    @Test func aJSONPatchAppliesOperationsAndFailsATest() async throws {
        let cluster = try SemanticsCluster()
        defer { cluster.stop() }
        _ = try await cluster.kube.apply(try cluster.deployment(Self.web))
        let ops = #"[{"op":"test","path":"/spec/replicas","value":2},{"op":"replace","path":"/spec/replicas","value":3},{"op":"add","path":"/metadata/labels","value":{"x":"y"}}]"#
        let patched = try await cluster.send("PATCH", SemanticsCluster.deploymentPath, ops, contentType: "application/json-patch+json")
        #expect(patched.status == 200)
        #expect(cluster.live()?["spec"]?["replicas"] == .number(3))
        let failing = #"[{"op":"test","path":"/spec/replicas","value":2}]"#
        #expect(try await cluster.send("PATCH", SemanticsCluster.deploymentPath, failing, contentType: "application/json-patch+json").status == 422)
    }

    /// A stored CRD is served, with discovery, as the API server does once it is established; its
    /// `subresources.status` gives the custom resource a status subresource.
    @Test func anAppliedCRDIsServedWithDiscovery() async throws {
        let cluster = try SemanticsCluster()
        defer { cluster.stop() }
        let crd = try JSONReader.parse("""
            {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"platforms.kiln.dev"},
             "spec":{"group":"kiln.dev","scope":"Namespaced","names":{"kind":"Platform","plural":"platforms","singular":"platform"},
                     "versions":[{"name":"v1alpha1","served":true,"storage":true,"subresources":{"status":{}},
                                  "schema":{"openAPIV3Schema":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}}]}}
            """)
        _ = try await cluster.kube.apply(crd)
        let groups = try await cluster.send("GET", "/apis")
        let kiln = groups.json?["groups"]?.arrayValue?.first { $0["name"] == .string("kiln.dev") }
        #expect(kiln?["preferredVersion"]?["groupVersion"] == .string("kiln.dev/v1alpha1"))
        let platform = try JSONReader.parse("""
            {"apiVersion":"kiln.dev/v1alpha1","kind":"Platform","metadata":{"name":"acme","namespace":"apps"},"spec":{"releases":[]},
             "status":{"phase":"Ready"}}
            """)
        let stored = try await cluster.kube.apply(platform)
        #expect(stored["spec"]?["releases"] == .array([]), "custom resources are stored as sent")
        #expect(stored["status"] == nil)
        #expect(try await cluster.kube.list(apiVersion: "kiln.dev/v1alpha1", kind: "Platform", namespace: "apps").count == 1)
        let core = try await cluster.send("GET", "/api")
        #expect(core.json?["versions"] == .array([.string("v1")]))
    }
}
