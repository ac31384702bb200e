import Kube
import Schema
import Testing

/// The structured-merge core (`Kube/Merge`) against what the real API server writes and does.
struct TestServerSemanticsMergeTests {
    func json(_ text: String) throws -> JSONValue { try JSONReader.parse(text) }

    @Test func listTypesFollowTheUpstreamOpenAPIUnderEveryPodTemplate() {
        #expect(ListTypes.type(kind: "Deployment", path: ["spec", "template", "spec", "containers"]) == .map(keys: ["name"]))
        #expect(ListTypes.type(kind: "CronJob", path: ["spec", "jobTemplate", "spec", "template", "spec", "initContainers", "env"])
            == .map(keys: ["name"]))
        #expect(ListTypes.type(kind: "Pod", path: ["spec", "containers", "ports"]) == .map(keys: ["containerPort", "protocol"]))
        #expect(ListTypes.type(kind: "StatefulSet", path: ["spec", "template", "spec", "containers", "volumeMounts"]) == .map(keys: ["mountPath"]))
        #expect(ListTypes.type(kind: "Deployment", path: ["spec", "template", "spec", "tolerations"]) == .atomic)
        #expect(ListTypes.type(kind: "Deployment", path: ["spec", "template", "spec", "containers", "args"]) == .atomic)
        #expect(ListTypes.type(kind: "Service", path: ["spec", "ports"]) == .map(keys: ["port", "protocol"]))
        #expect(ListTypes.type(kind: "ConfigMap", path: ["metadata", "finalizers"]) == .set)
        #expect(ListTypes.type(kind: "NetworkPolicy", path: ["spec", "egress"]) == .atomic)
        #expect(ListTypes.type(kind: "MutatingWebhookConfiguration", path: ["webhooks"]) == .map(keys: ["name"]))
        #expect(ListTypes.type(kind: "Platform", path: ["spec", "releases"]) == .atomic, "unknown lists are atomic")
    }

    /// FieldsV1 as the API server writes it for an apply: `f:` fields, `k:` entries with `.` when they have children.
    @Test func fieldSetEncodesAndDecodesFieldsV1() throws {
        let applied = try json("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"apps","labels":{"app":"web"}},
             "spec":{"template":{"spec":{"containers":[{"name":"app","image":"nginx","ports":[{"containerPort":80}]}]}}}}
            """)
        let set = FieldSet(of: applied, kind: "Deployment")
        let expected = try json("""
            {"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:template":{"f:spec":{"f:containers":{"k:{\\"name\\":\\"app\\"}":
             {".":{},"f:image":{},"f:name":{},"f:ports":{"k:{\\"containerPort\\":80,\\"protocol\\":\\"TCP\\"}":{".":{},"f:containerPort":{}}}}}}}}}
            """)
        #expect(set.fieldsV1 == expected)
        #expect(FieldSet(fieldsV1: expected) == set)
        let image: [FieldPathElement] = [.field("spec"), .field("template"), .field("spec"), .field("containers"),
                                         .key([("name", .string("app"))]), .field("image")]
        #expect(set.contains(image))
        #expect(image.pathDescription == ".spec.template.spec.containers[name=\"app\"].image")
        #expect(FieldSet.value(at: image, in: applied) == .string("nginx"))
        #expect(!set.contains([.field("metadata"), .field("name")]), "identity is nobody's")
    }

    @Test func setOperations() throws {
        let a = FieldSet(of: try json(#"{"spec":{"replicas":1,"paused":true}}"#), kind: "Deployment")
        let b = FieldSet(of: try json(#"{"spec":{"replicas":2}}"#), kind: "Deployment")
        #expect(a.intersection(b) == b)
        #expect(a.subtracting(b).leaves == [[.field("spec"), .field("paused")]])
        #expect(b.union(a) == a)
        #expect(b.subtracting(a).isEmpty)
    }

    /// Keyed lists merge entry by entry; atomic lists are replaced.
    @Test func mergeFollowsListTypes() throws {
        let live = try json(#"{"spec":{"containers":[{"name":"app","image":"a:1"},{"name":"sidecar","image":"s:1"}],"tolerations":[{"key":"x"}]}}"#)
        let applied = try json(#"{"spec":{"containers":[{"name":"app","image":"a:2"}],"tolerations":[{"key":"y"}]}}"#)
        let merged = StructuredMerge.merge(live: live, applied: applied, kind: "Pod")
        #expect(merged == (try json(#"{"spec":{"containers":[{"name":"app","image":"a:2"},{"name":"sidecar","image":"s:1"}],"tolerations":[{"key":"y"}]}}"#)))
    }

    /// A field the applier stops setting goes, unless another manager owns it too (then it stays, theirs).
    @Test func applyRemovesOnlyFieldsNoOneElseOwns() throws {
        let first = try json(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"a":"1","b":"2"}}"#)
        guard case .merged(var live) = ServerSideApply.apply(first, to: nil, manager: "kiln", force: false, time: "t") else {
            Issue.record("expected a merge")
            return
        }
        // Another applier sets b to the same value: no conflict, and both own it.
        let shared = try json(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"b":"2"}}"#)
        guard case .merged(let both) = ServerSideApply.apply(shared, to: live, manager: "other", force: false, time: "t") else {
            Issue.record("same values do not conflict")
            return
        }
        live = both
        let second = try json(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{}}"#)
        guard case .merged(let after) = ServerSideApply.apply(second, to: live, manager: "kiln", force: false, time: "t") else {
            Issue.record("expected a merge")
            return
        }
        #expect(after["data"] == (try json(#"{"b":"2"}"#)), "a went with kiln; b stays, also set by other")
    }

    @Test func conflictsNameTheOwnerAndPathAsTheAPIServerDoes() throws {
        let created = try json(#"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"replicas":2}}"#)
        guard case .merged(let live) = ServerSideApply.apply(created, to: nil, manager: "kubectl-edit", force: false, time: "t") else {
            Issue.record("expected a merge")
            return
        }
        let mine = try json(#"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"replicas":3}}"#)
        guard case .conflicts(let conflicts) = ServerSideApply.apply(mine, to: live, manager: "kiln", force: false, time: "t") else {
            Issue.record("expected a conflict")
            return
        }
        #expect(conflicts.map(\.message) == ["conflict with \"kubectl-edit\" using apps/v1: .spec.replicas"])
        guard case .merged(let forced) = ServerSideApply.apply(mine, to: live, manager: "kiln", force: true, time: "t") else {
            Issue.record("force takes the field")
            return
        }
        #expect(ManagedFieldsEntry.entries(of: forced).map(\.manager) == ["kiln"], "kubectl-edit owned nothing else")
    }
}
