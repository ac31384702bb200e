import Kube
import Schema
import TestSupport
import Testing

/// Server-side apply through kiln's `KubeClient`, as the real API server does it (KEP-555 "Server-side apply";
/// https://kubernetes.io/docs/reference/using-api/server-side-apply/: field management, merge strategy, conflicts).
@Suite(.serialized)
struct TestServerSemanticsApplyTests {
    static let app = #"{"name":"app","image":"nginx:1.27","env":[{"name":"A","value":"1"},{"name":"B","value":"2"}]}"#

    /// Containers are a map keyed by name: a sidecar another manager added is not kiln's, and kiln's apply (which
    /// never mentions it) keeps it.
    @Test func aContainerAnotherManagerAddedSurvivesKilnsApply() async throws {
        let cluster = try SemanticsCluster()
        defer { cluster.stop() }
        _ = try await cluster.kube.apply(try cluster.deployment(Self.app))
        let patch = #"{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","image":"envoy:1"}]}}}}"#
        let patched = try await cluster.send("PATCH", SemanticsCluster.deploymentPath + "?fieldManager=injector", patch,
                                             contentType: "application/strategic-merge-patch+json")
        #expect(patched.status == 200)
        _ = try await cluster.kube.apply(try cluster.deployment(Self.app.replacingOccurrences(of: "1.27", with: "1.28")))
        let containers = cluster.live()?["spec"]?["template"]?["spec"]?["containers"]?.arrayValue ?? []
        #expect(containers.compactMap { $0["name"]?.stringValue } == ["app", "sidecar"])
        #expect(containers.first?["image"] == .string("nginx:1.28"))
    }

    /// Fields the applier stops setting are removed when it was their only owner; a field another manager also
    /// set stays.
    @Test func anEnvVarKilnStopsSettingGoesOnlyIfKilnAloneOwnedIt() async throws {
        let cluster = try SemanticsCluster()
        defer { cluster.stop() }
        _ = try await cluster.kube.apply(try cluster.deployment(Self.app))
        // Another applier sets B to the same value: shared ownership, no conflict.
        let other = try JSONReader.parse("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"apps"},
             "spec":{"template":{"spec":{"containers":[{"name":"app","env":[{"name":"B","value":"2"}]}]}}}}
            """)
        let shared = try await cluster.send("PATCH", SemanticsCluster.deploymentPath + "?fieldManager=platform-team", other.jsonText,
                                            contentType: "application/apply-patch+yaml")
        #expect(shared.status == 200)
        _ = try await cluster.kube.apply(try cluster.deployment(#"{"name":"app","image":"nginx:1.27"}"#))
        #expect(cluster.envNames() == ["B"], "A was kiln's alone; B is still platform-team's")
    }

    /// `kubectl set env` sends a strategic merge patch (manager `kubectl-set`): the new var is that manager's, and
    /// kiln's re-apply without force keeps it (kiln never owned it, so it neither conflicts nor removes it).
    @Test func anEnvVarAddedByKubectlSetEnvIsKeptAndOwnedByKubectl() async throws {
        let cluster = try SemanticsCluster()
        defer { cluster.stop() }
        _ = try await cluster.kube.apply(try cluster.deployment(Self.app))
        let patch = #"{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"app"}],"containers":[{"name":"app","env":[{"name":"DEBUG","value":"true"}]}]}}}}"#
        let set = try await cluster.send("PATCH", SemanticsCluster.deploymentPath + "?fieldManager=kubectl-set", patch,
                                         contentType: "application/strategic-merge-patch+json")
        #expect(set.status == 200)
        _ = try await cluster.kube.apply(try cluster.deployment(Self.app))
        #expect(cluster.envNames() == ["A", "B", "DEBUG"])
        let debug: [FieldPathElement] = [.field("spec"), .field("template"), .field("spec"), .field("containers"),
                                         .key([("name", .string("app"))]), .field("env"), .key([("name", .string("DEBUG"))])]
        #expect(cluster.entry("kubectl-set", .update)?.fields.contains(debug) == true)
        #expect(cluster.entry("kiln", .apply)?.fields.contains(debug) == false)
    }

    /// A field another manager changed is a conflict for kiln's apply (409 naming the manager, path in the
    /// cause's field); `force=true` takes it over.
    @Test func aFieldAnotherManagerChangedConflictsUntilForced() async throws {
        let cluster = try SemanticsCluster()
        defer { cluster.stop() }
        _ = try await cluster.kube.apply(try cluster.deployment(Self.app))
        let scale = try await cluster.send("PATCH", SemanticsCluster.deploymentPath + "?fieldManager=kubectl-scale",
                                           #"{"spec":{"replicas":5}}"#, contentType: "application/merge-patch+json")
        #expect(scale.status == 200)
        #expect(cluster.entry("kiln", .apply)?.fields.contains([.field("spec"), .field("replicas")]) == false, "the update took it")
        let refused = try await cluster.send("PATCH", SemanticsCluster.deploymentPath + "?fieldManager=kiln",
                                             try cluster.deployment(Self.app).jsonText, contentType: "application/apply-patch+yaml")
        #expect(refused.status == 409)
        let cause = refused.json?["details"]?["causes"]?.arrayValue?.first
        #expect(cause?["message"] == .string("conflict with \"kubectl-scale\" using apps/v1"))
        #expect(cause?["field"] == .string(".spec.replicas"))
        await #expect(throws: KubeError.self) { _ = try await cluster.kube.apply(try cluster.deployment(Self.app)) }
        let forced = try await cluster.kube.apply(try cluster.deployment(Self.app), force: true)
        #expect(forced["spec"]?["replicas"] == .number(2))
        #expect(cluster.entry("kubectl-scale", .update) == nil, "it owned nothing else")
    }

    /// An apply that changes nothing is not written: resourceVersion, generation and managedFields times stay.
    @Test func aNoOpApplyKeepsResourceVersionGenerationAndTimes() async throws {
        let cluster = try SemanticsCluster()
        defer { cluster.stop() }
        let first = try await cluster.kube.apply(try cluster.deployment(Self.app))
        try await Task.sleep(nanoseconds: 1_100_000_000)  // managedFields times are to the second
        let again = try await cluster.kube.apply(try cluster.deployment(Self.app))
        #expect(again["metadata"]?["resourceVersion"] == first["metadata"]?["resourceVersion"])
        #expect(again["metadata"]?["generation"] == .number(1))
        #expect(again["metadata"]?["managedFields"] == first["metadata"]?["managedFields"])
        let changed = try await cluster.kube.apply(try cluster.deployment(Self.app, replicas: 3))
        #expect(changed["metadata"]?["generation"] == .number(2))
    }

    /// Go's `omitempty` drops `egress: []` when the object is stored, and the decoded `[]` is not DeepEqual to the
    /// stored nil: every re-apply of an unchanged NetworkPolicy is a spec change (the reported generation 6 → 7 → 8).
    @Test func reapplyingAnEmptyEgressListBumpsGenerationEveryTime() async throws {
        let cluster = try SemanticsCluster()
        defer { cluster.stop() }
        let policy = try JSONReader.parse("""
            {"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"name":"deny","namespace":"apps"},
             "spec":{"podSelector":{},"policyTypes":["Egress"],"egress":[]}}
            """)
        var generations: [Double] = []
        for _ in 0..<3 { generations.append(try await cluster.kube.apply(policy)["metadata"]?["generation"]?.numberValue ?? 0) }
        #expect(generations == [1, 2, 3])
        let stored = cluster.server.object("networking.k8s.io/v1/networkpolicies/apps/deny")
        #expect(stored?["spec"]?["egress"] == nil)
        #expect(stored?["spec"]?["podSelector"] == .object([]), "a required struct is kept")
        let unchanged = JSONValue.object((policy.objectValue ?? []).map { key, value in
            key == "spec" ? (key, .object((value.objectValue ?? []).filter { $0.0 != "egress" })) : (key, value)
        })
        let settled = try await cluster.kube.apply(unchanged)
        #expect(settled["metadata"]?["generation"] == .number(3), "without the empty list the spec stays as stored")
    }
}
