import Kube
import Manifests
import Schema

extension ResourceManager {
    /// Kinds whose objects hold data or everything else: never pruned unless asked (`KindRules.table` says why).
    public static var protectedKinds: Set<String> { KindRules.protectedKinds }

    /// Members of the set (by its label, in what the parent records and what the render holds) that the render no
    /// longer has.
    public func pruneCandidates(of result: RenderResult, inventory: ApplySet, recorded: ApplySet.Contents,
                                protected: Bool, kinds only: ((String) -> Bool)? = nil) async throws -> [ObjectReference] {
        // By group, kind, namespace and name: the version a member was listed in need not be the one kiln renders.
        func identity(_ ref: ObjectReference) -> String {
            "\(ApplySet.groupKind(apiVersion: ref.apiVersion, kind: ref.kind))/\(ref.namespace ?? "")/\(ref.name)"
        }
        let keep = Set(result.objects.map { identity(ResourceManager.reference($0)) })
        let scope = recorded.union(ApplySet.Contents(result))
        let kinds = scope.groupKinds.filter { groupKind in
            let kind = ApplySet.split(groupKind: groupKind).kind
            return (protected || !Self.protectedKinds.contains(kind)) && only?(kind) ?? true
        }
        return try await members(inventory: inventory, groupKinds: kinds, namespaces: scope.namespaces)
            .map(\.reference).filter { !keep.contains(identity($0)) }.sorted { $0.description < $1.description }
    }

    /// Every live member of the set of these group-kinds in these namespaces (cluster-scoped kinds once).
    public func members(inventory: ApplySet, groupKinds: Set<String>, namespaces: Set<String>) async throws
        -> [(reference: ObjectReference, object: JSONValue)] {
        var found: [(reference: ObjectReference, object: JSONValue)] = []
        for groupKind in groupKinds.sorted() {
            let (kind, group) = ApplySet.split(groupKind: groupKind)
            // Any group the set recorded, found through discovery (a CRD's group too); one no longer served has no
            // members left to find.
            guard let version = try await client.preferredVersion(group: group) else { continue }
            let apiVersion = group.isEmpty ? version : "\(group)/\(version)"
            let resource = try await client.resource(apiVersion: apiVersion, kind: kind)
            let scopes: [String?] = resource.namespaced ? namespaces.sorted().map { $0 } : [nil]
            for namespace in scopes {
                let items = try await client.list(apiVersion: apiVersion, kind: kind, namespace: namespace,
                                                  labelSelector: "\(ApplySet.partOfLabel)=\(inventory.id)")
                for item in items {
                    let ref = ObjectReference(apiVersion: apiVersion, kind: kind, namespace: item["metadata"]?["namespace"]?.stringValue,
                                              name: item["metadata"]?["name"]?.stringValue ?? "")
                    found.append((ref, item))
                }
            }
        }
        return found
    }

    /// Deletes the candidates, announcing them first.
    public func prune(_ candidates: [ObjectReference]) async throws -> Int {
        guard !candidates.isEmpty else { return 0 }
        observe(.willPrune(candidates))
        var count = 0
        for ref in candidates where try await client.delete(ref, propagation: "Background") {
            observe(.pruned(ref))
            count += 1
        }
        return count
    }
}
