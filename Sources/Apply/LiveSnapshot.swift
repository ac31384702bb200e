import Kube
import Manifests
import Schema

/// The live objects of a wave read in one LIST per kind and namespace instead of one GET per object: an unchanged
/// platform's re-apply then costs a few dozen requests, not one per object (against a real API server, round trips
/// dominate). A namespaced list is the whole truth for its namespace (kiln's namespaces are the platform's own); a
/// cluster-scoped one is filtered to the set's members (a cluster holds hundreds of ClusterRoles), so an object it does
/// not show is read on its own.
struct LiveSnapshot: Sendable {
    struct Group: Hashable, Sendable {
        let apiVersion: String
        let kind: String
        let namespace: String?
    }

    private var objects: [ObjectReference: JSONValue] = [:]
    private var complete: Set<Group> = []

    /// What the snapshot knows of `ref`: `.some(nil)` when its list shows it does not exist, nil when it cannot say.
    func lookup(_ ref: ObjectReference) -> JSONValue?? {
        if let object = objects[ref] { return .some(object) }
        return complete.contains(Group(apiVersion: ref.apiVersion, kind: ref.kind, namespace: ref.namespace)) ? .some(nil) : nil
    }

    /// Lists the groups of `objects` that hold at least `threshold` of them (below it, GETs are as cheap).
    static func read(_ objects: [ManifestObject], client: KubeClient, inventory: ApplySet, threshold: Int = 3,
                     concurrency: Int = 8) async throws -> LiveSnapshot {
        let groups = Dictionary(grouping: objects) { Group(apiVersion: $0.apiVersion, kind: $0.kind, namespace: $0.namespace) }
            .filter { $0.value.count >= threshold }.keys.sorted { "\($0)" < "\($1)" }
        let lists = try await ResourceManager.concurrently(groups, limit: concurrency) { group -> (Group, [JSONValue])? in
            let selector = group.namespace == nil ? "\(ApplySet.partOfLabel)=\(inventory.id)" : nil
            do {
                return (group, try await client.list(apiVersion: group.apiVersion, kind: group.kind, namespace: group.namespace,
                                                     labelSelector: selector))
            } catch let error as KubeError where error.status == 404 || error.status == 403 {
                return nil  // a kind not served yet (its CRD comes in this apply), or no right to list: read one by one
            }
        }
        var snapshot = LiveSnapshot()
        for case let (group, items)? in lists {
            for item in items {
                let ref = ObjectReference(apiVersion: group.apiVersion, kind: group.kind, namespace: item["metadata"]?["namespace"]?.stringValue,
                                          name: item["metadata"]?["name"]?.stringValue ?? "")
                snapshot.objects[ref] = item
            }
            if group.namespace != nil { snapshot.complete.insert(group) }
        }
        return snapshot
    }
}

extension ResourceManager {
    /// The live object: from the snapshot when it knows, else one GET.
    func live(_ ref: ObjectReference, in snapshot: LiveSnapshot?) async throws -> JSONValue? {
        if let known = snapshot?.lookup(ref) { return known }
        return try await client.get(ref)
    }
}
