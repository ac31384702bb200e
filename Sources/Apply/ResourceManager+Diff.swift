import Kube
import Manifests
import Schema

/// What applying would do to one object.
public struct ObjectDiff: Sendable {
    public enum Action: String, Sendable, Codable {
        case create, update, delete
        /// Apply would stop here: fields another manager owns (without `--force-conflicts`).
        case conflict
        /// A field that cannot change in place changes: apply needs `--force`, which deletes and recreates it.
        case recreate
    }
    public let object: ObjectReference
    public let action: Action
    /// A unified diff of the normalized live and desired objects (Secret values masked), or why apply would stop.
    public let text: String
}

extension ResourceManager {
    /// What an apply of `result` would change, by a server-side dry run of every object compared with the live
    /// object; plus the members of the set that apply would prune. The dry run is the apply's own request (the same
    /// conflict handling), so what diff shows is what apply does: a conflict shows as a conflict, an object in a
    /// namespace the plan creates as to be created.
    ///
    /// With `foreignEntries` (drift), entries other managers added to lists kiln renders count as differences too,
    /// although apply would keep them (see `ForeignEntries`).
    public func diff(_ result: RenderResult, inventory: ApplySet, ignore: [DriftIgnore] = [], includePrune: Bool = true,
                     foreignEntries: Bool = false, options: ApplyOptions = ApplyOptions()) async throws -> [ObjectDiff] {
        let recorded = inventory.recorded(try await ownedInventory(result, inventory))
        let hpaTargets = Set(result.objects.filter { $0.kind == "HorizontalPodAutoscaler" }.compactMap { hpa in
            hpa.body.first { $0.0 == "spec" }?.1["scaleTargetRef"]?["name"]?.stringValue.map { "\(hpa.namespace ?? "")/\($0)" }
        })
        let creating = Set(result.objects.filter { $0.kind == "Namespace" }.map(\.name))
        let snapshot = try await LiveSnapshot.read(result.objects, client: client, inventory: inventory, concurrency: options.concurrency)
        var diffs = try await ResourceManager.concurrently(result.objects, limit: options.concurrency) { object -> ObjectDiff? in
            var member = object
            member.labels[ApplySet.partOfLabel] = inventory.id
            let ref = ResourceManager.reference(object)
            let live = try await self.live(ref, in: snapshot)
            if let live, UnchangedCheck.wouldNotChange(member.json, live: live),
               !foreignEntries || ForeignEntries.stripped(live, rendered: member.json, kind: member.kind) == live {
                return nil  // what apply would skip: one request, no dry run
            }
            var desired: JSONValue
            do {
                desired = try await self.client.apply(member.json, force: options.forceConflicts, dryRun: true)
            } catch let error as KubeError where error.status == 409 && !error.conflictManagers.isEmpty {
                return ObjectDiff(object: ref, action: .conflict, text: "\(error)\n")
            } catch let error as KubeError where live == nil && Self.namespaceMissing(error, object.namespace, creating) {
                desired = member.json
            } catch let error as KubeError {
                guard let refusal = ImmutableFieldRefusal(error) else { throw error }
                return ObjectDiff(object: ref, action: .recreate, text: "\(refusal.fieldList) cannot change in place: \(refusal.message)\n")
            }
            if foreignEntries { desired = ForeignEntries.stripped(desired, rendered: member.json, kind: member.kind) }
            let rules = ignore + (hpaTargets.contains("\(object.namespace ?? "")/\(object.name)") ? [DriftIgnore.hpaReplicas] : [])
                + DriftIgnore.builtIn
            func text(_ object: JSONValue) -> String {
                ManifestYAML.text(json: DriftIgnore.apply(rules, to: Normalize.forComparison(object), kind: member.kind))
            }
            let (before, after) = SecretMask.pair(live: live, desired: desired)
            guard let before else {
                return ObjectDiff(object: ref, action: .create, text: LineDiff.unified("", text(after), oldName: "/dev/null", newName: ref.description))
            }
            let unified = LineDiff.unified(text(before), text(after), oldName: "live \(ref)", newName: "desired \(ref)")
            return unified.isEmpty ? nil : ObjectDiff(object: ref, action: .update, text: unified)
        }.compactMap { $0 }
        if includePrune {
            let candidates = try await pruneCandidates(of: result, inventory: inventory, recorded: recorded, protected: options.pruneProtected)
            diffs += candidates.map { ObjectDiff(object: $0, action: .delete, text: "") }
        }
        return diffs
    }
}

/// Fields drift detection leaves alone: what controllers and webhooks legitimately own, and user paths.
public struct DriftIgnore: Sendable {
    /// nil: every kind.
    public let kind: String?
    public let path: [String]

    public init(kind: String?, path: [String]) {
        self.kind = kind
        self.path = path
    }

    /// `Deployment:spec.replicas`, or `metadata.annotations` for every kind.
    public init?(parsing text: String) {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        let path = (parts.count == 2 ? parts[1] : parts[0]).split(separator: ".").map(String.init)
        guard !path.isEmpty else { return nil }
        self.init(kind: parts.count == 2 ? parts[0] : nil, path: path)
    }

    /// An autoscaler owns its target's replicas.
    static let hpaReplicas = DriftIgnore(kind: nil, path: KindRules.scaledByAutoscaler)

    /// What controllers own, per kind (`KindRules.table`): webhook CA bundles cert-manager and the API server inject,
    /// the restart annotation `kubectl rollout restart` stamps, token secrets.
    public static var builtIn: [DriftIgnore] {
        KindRules.table.flatMap { rule in rule.driftIgnores.map { DriftIgnore(kind: rule.kind, path: $0) } }
    }

    static func apply(_ rules: [DriftIgnore], to object: JSONValue, kind: String) -> JSONValue {
        rules.filter { $0.kind == nil || $0.kind == kind }.reduce(object) { Normalize.removing($1.path, from: $0) }
    }
}
