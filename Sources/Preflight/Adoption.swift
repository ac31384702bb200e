import Apply
import Kube
import Manifests
import Schema

/// Takes over an install that Helm (or the reference's agent, which installs through Helm) made: the live objects
/// the render also holds, and that carry Helm's marks, become kiln's by a forced server-side apply (kiln takes the
/// fields Helm owned), then lose Helm's release annotations and chart label so Helm no longer claims them. Helm's
/// objects the render does not hold are left where they are, and deleted only with `prune`.
public struct Adoption: Sendable {
    public let client: KubeClient
    public var concurrency = 8

    public init(client: KubeClient) { self.client = client }

    public struct Adopted: Sendable, Codable, Equatable {
        public let object: String
        /// `namespace/name` of the Helm release it belonged to, when its annotations say.
        public let release: String?
    }

    public struct Report: Sendable, Codable {
        public var adopted: [Adopted] = []
        /// Helm's objects the render does not hold: kept, unless pruned.
        public var left: [Adopted] = []
        public var pruned: [String] = []
        public var dryRun = false
    }

    /// Finds what to take over and, unless `dryRun`, takes it. The report is the same either way (a dry run lists
    /// under `pruned` what `prune` would delete).
    public func run(_ result: RenderResult, inventory: ApplySet, dryRun: Bool, prune: Bool) async throws -> Report {
        var report = Report()
        report.dryRun = dryRun
        let rendered = result.objects
        let helmOwned = try await ResourceManager.concurrently(rendered, limit: concurrency) { object -> (ManifestObject, JSONValue)? in
            guard let live = try await self.live(Self.reference(object)), HelmOwnership.isHelmManaged(live) else { return nil }
            return (object, live)
        }.compactMap { $0 }
        report.adopted = helmOwned.map { Adopted(object: Self.reference($0.0).description, release: HelmOwnership.release(of: $0.1)) }
        // Only the Helm releases the platform's objects came from: another chart's objects (its CRDs, its namespaces)
        // are never "left behind", and never pruned.
        let releases = Set(helmOwned.compactMap { HelmOwnership.release(of: $0.1) })
        report.left = try await leftBehind(result, releases: releases)
        if prune { report.pruned = report.left.map(\.object) }
        guard !dryRun else { return report }
        for (object, _) in helmOwned {
            var member = object
            member.labels[ApplySet.partOfLabel] = inventory.id
            let taken = try await client.apply(member.json, force: true)
            try await removeHelmMarks(taken, ref: Self.reference(object))
        }
        if prune {
            for object in try await leftObjects(result, releases: releases) { try await client.delete(KubeClient.reference(object)) }
        }
        return report
    }

    /// A JSON patch removing Helm's release annotations and chart label (and its `managed-by: Helm`, if kiln's apply
    /// did not already replace it), each guarded by a test of its value so nothing else is touched.
    static func markRemovals(_ object: JSONValue) -> [JSONValue] {
        func escape(_ key: String) -> String { key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1") }
        var operations: [JSONValue] = []
        func remove(_ section: String, _ key: String) {
            guard let value = object["metadata"]?[section]?[key] else { return }
            let path = "/metadata/\(section)/\(escape(key))"
            operations += [.object([("op", .string("test")), ("path", .string(path)), ("value", value)]),
                           .object([("op", .string("remove")), ("path", .string(path))])]
        }
        remove("annotations", HelmOwnership.releaseName)
        remove("annotations", HelmOwnership.releaseNamespace)
        remove("labels", HelmOwnership.chartLabel)
        if object.label(HelmOwnership.managedByLabel) == "Helm" { remove("labels", HelmOwnership.managedByLabel) }
        return operations
    }

    func removeHelmMarks(_ object: JSONValue, ref: ObjectReference) async throws {
        let operations = Self.markRemovals(object)
        guard !operations.isEmpty else { return }
        _ = try await client.patch(ref, type: .json, body: Array(JSONValue.array(operations).jsonText.utf8))
    }

    /// Objects labelled `managed-by: Helm` of one of `releases` (the Helm releases the adopted objects belonged to), of
    /// the kinds and in the namespaces the render uses, that the render does not hold.
    func leftObjects(_ result: RenderResult, releases: Set<String>) async throws -> [JSONValue] {
        guard !releases.isEmpty else { return [] }
        let kinds = RenderedKinds(result)
        let identities = Set(result.objects.map(\.identity))
        var found: [String: JSONValue] = [:]
        for kind in kinds.all {
            let namespaces: [String?] = (kinds.namespaces[kind] ?? []).isEmpty ? [nil] : (kinds.namespaces[kind] ?? []).map { $0 }
            for namespace in namespaces {
                let items: [JSONValue]
                do {
                    items = try await client.list(apiVersion: kind.apiVersion, kind: kind.kind, namespace: namespace,
                                                  labelSelector: "\(HelmOwnership.managedByLabel)=Helm")
                } catch let error as KubeError where error.status == 404 {
                    continue  // a kind whose CRD the render brings, not served yet: nothing of Helm's to find
                }
                for item in items {
                    let ref = KubeClient.reference(item.withIdentity(kind))
                    let identity = "\(kind.kind)/\(ref.namespace ?? "")/\(ref.name)"
                    guard let release = HelmOwnership.release(of: item), releases.contains(release) else { continue }
                    if !identities.contains(identity) { found[identity] = item.withIdentity(kind) }
                }
            }
        }
        return found.keys.sorted().compactMap { found[$0] }
    }

    func leftBehind(_ result: RenderResult, releases: Set<String>) async throws -> [Adopted] {
        try await leftObjects(result, releases: releases).map { Adopted(object: KubeClient.reference($0).description, release: HelmOwnership.release(of: $0)) }
    }

    /// The live object; nil when there is none, or its kind is not served yet (the render brings its CRD).
    func live(_ ref: ObjectReference) async throws -> JSONValue? {
        do {
            return try await client.get(ref)
        } catch let error as KubeError where error.status == 404 {
            return nil
        }
    }

    static func reference(_ object: ManifestObject) -> ObjectReference {
        ObjectReference(apiVersion: object.apiVersion, kind: object.kind, namespace: object.namespace, name: object.name)
    }
}

extension JSONValue {
    /// A list item with its apiVersion and kind (list items from a real server leave them out).
    func withIdentity(_ kind: RenderedKinds.Kind) -> JSONValue {
        guard case .object(var members) = self else { return self }
        members.removeAll { $0.0 == "apiVersion" || $0.0 == "kind" }
        return .object([("apiVersion", .string(kind.apiVersion)), ("kind", .string(kind.kind))] + members)
    }
}
