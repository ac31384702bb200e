import Kube
import Manifests
import Schema

/// What applying would do to one object.
public struct ObjectDiff: Sendable {
    public enum Action: String, Sendable, Codable { case create, update, delete }
    public let object: ObjectReference
    public let action: Action
    /// A unified diff of the normalized live and desired objects (Secret values redacted).
    public let text: String
}

extension ResourceManager {
    /// What an apply of `result` would change, by a server-side dry run of every object compared with the live
    /// object; plus the members of the set that apply would prune.
    public func diff(_ result: RenderResult, inventory: ApplySet, ignore: [DriftIgnore] = [], includePrune: Bool = true,
                     options: ApplyOptions = ApplyOptions()) async throws -> [ObjectDiff] {
        let hpaTargets = Set(result.objects.filter { $0.kind == "HorizontalPodAutoscaler" }.compactMap { hpa in
            hpa.body.first { $0.0 == "spec" }?.1["scaleTargetRef"]?["name"]?.stringValue.map { "\(hpa.namespace ?? "")/\($0)" }
        })
        var diffs = try await ResourceManager.concurrently(result.objects, limit: options.concurrency) { object -> ObjectDiff? in
            var member = object
            member.labels[ApplySet.partOfLabel] = inventory.id
            let ref = ResourceManager.reference(object)
            let live = try await self.client.get(ref)
            let desired = try await self.client.apply(member.json, force: true, dryRun: true)
            let rules = ignore + (hpaTargets.contains("\(object.namespace ?? "")/\(object.name)") ? [DriftIgnore.hpaReplicas] : [])
                + DriftIgnore.builtIn
            let after = ManifestYAML.text(json: DriftIgnore.apply(rules, to: Normalize.forComparison(desired), kind: object.kind))
            guard let live else {
                return ObjectDiff(object: ref, action: .create, text: LineDiff.unified("", after, oldName: "/dev/null", newName: ref.description))
            }
            let before = ManifestYAML.text(json: DriftIgnore.apply(rules, to: Normalize.forComparison(live), kind: object.kind))
            let text = LineDiff.unified(before, after, oldName: "live \(ref)", newName: "desired \(ref)")
            return text.isEmpty ? nil : ObjectDiff(object: ref, action: .update, text: text)
        }.compactMap { $0 }
        if includePrune {
            let candidates = try await pruneCandidates(of: result, inventory: inventory,
                                                       recorded: inventory.recorded(try await client.get(inventory.parentReference)),
                                                       protected: options.pruneProtected)
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
    static let hpaReplicas = DriftIgnore(kind: nil, path: ["spec", "replicas"])

    /// What controllers own, per kind (`KindRules.table`): webhook CA bundles cert-manager and the API server inject,
    /// the restart annotation `kubectl rollout restart` stamps, token secrets.
    public static var builtIn: [DriftIgnore] {
        KindRules.table.flatMap { rule in rule.driftIgnores.map { DriftIgnore(kind: rule.kind, path: $0) } }
    }

    static func apply(_ rules: [DriftIgnore], to object: JSONValue, kind: String) -> JSONValue {
        rules.filter { $0.kind == nil || $0.kind == kind }.reduce(object) { Normalize.removing($1.path, from: $0) }
    }
}
