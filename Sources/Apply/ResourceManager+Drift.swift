import Kube
import Manifests
import Schema

/// One release as the cluster has it now.
public struct ReleaseStatus: Sendable, Codable {
    public let release: String
    public let ready: Bool
    public let reason: String
    public let message: String
}

extension ResourceManager {
    /// Objects whose live state differs from what kiln applies, as the admin sees it: a value of a field kiln sets
    /// changed by anyone (`kubectl set image`, `kubectl scale`), and entries others added to lists kiln renders (an
    /// env var from `kubectl set env`); not what controllers legitimately own (HPA replicas, injected sidecars,
    /// webhook CA bundles: `KindRules`) nor the user's ignore rules.
    public func drift(_ result: RenderResult, inventory: ApplySet, ignore: [DriftIgnore], options: ApplyOptions = ApplyOptions())
        async throws -> [ObjectDiff] {
        // Forced, as correction is: a field another manager took over shows as the change correction would undo.
        var forced = options
        forced.forceConflicts = true
        return try await diff(result, inventory: inventory, ignore: ignore, includePrune: false, foreignEntries: true, options: forced)
            .filter { $0.action == .update }
    }

    /// Puts the drifted objects back as kiln renders them: entries others added to lists kiln renders are removed
    /// (a guarded JSON patch), then the object is re-applied taking back the fields others changed.
    public func correct(_ drifted: [ObjectDiff], in result: RenderResult, inventory: ApplySet, options: ApplyOptions) async throws -> Int {
        let targets = Set(drifted.map(\.object))
        var forced = options
        forced.forceConflicts = true
        var count = 0
        for object in result.objects where targets.contains(ResourceManager.reference(object)) {
            let ref = ResourceManager.reference(object)
            if let live = try await client.get(ref) {
                let removals = ForeignEntries.removalPatch(live: live, rendered: object.json, kind: object.kind)
                if !removals.isEmpty {
                    _ = try await client.patch(ref, type: .json, body: Array(JSONValue.array(removals).jsonText.utf8), dryRun: options.dryRun)
                }
            }
            _ = try await applyOne(object, inventory: inventory, options: forced)
            count += 1
        }
        return count
    }

    /// Per release: ready when every object is, else the first reason it is not.
    public func status(_ result: RenderResult, options: ApplyOptions = ApplyOptions()) async throws -> [ReleaseStatus] {
        let states = try await ResourceManager.concurrently(result.objects, limit: options.concurrency) { object -> (String, ObjectReference, Readiness) in
            let ref = ResourceManager.reference(object)
            guard let live = try await self.client.get(ref) else { return (object.release, ref, .progressing("NotFound")) }
            return (object.release, ref, ReadinessRules.evaluate(live, polls: Int.max))
        }
        return Self.summarize(states, releases: result.releases)
    }

    /// Per release, from the cluster alone: the members the inventory records, grouped by their release label, for
    /// when the config is not at hand. Objects deleted from the cluster do not show (nothing says they should exist).
    public func status(inventory: ApplySet) async throws -> [ReleaseStatus] {
        guard let parent = try await client.get(inventory.parentReference) else {
            throw ApplyFailure(object: inventory.parentReference.description, reason: "not found: kiln has not applied to this cluster "
                               + "(or its system namespace is not \(inventory.namespace))", details: [])
        }
        let recorded = inventory.recorded(parent)
        let states = try await members(inventory: inventory, groupKinds: recorded.groupKinds, namespaces: recorded.namespaces)
            .map { ($0.object["metadata"]?["labels"]?[ObjectLabels.release]?.stringValue ?? "", $0.reference,
                    ReadinessRules.evaluate($0.object, polls: Int.max)) }
        // The base release first, then by name: without the config there is no install order to follow.
        let releases = Set(states.map(\.0)).sorted { ($0 == "kiln-base" ? "" : $0) < ($1 == "kiln-base" ? "" : $1) }
        return Self.summarize(states, releases: releases)
    }

    static func summarize(_ states: [(String, ObjectReference, Readiness)], releases: [String]) -> [ReleaseStatus] {
        releases.map { release in
            let mine = states.filter { $0.0 == release }
            if let (_, ref, state) = mine.first(where: { !$0.2.isReady }) {
                switch state {
                case .failed(let why): return ReleaseStatus(release: release, ready: false, reason: "Failed", message: "\(ref): \(why)")
                case .progressing(let why) where why == "NotFound":
                    return ReleaseStatus(release: release, ready: false, reason: "NotFound", message: "\(ref) is not in the cluster")
                case .progressing(let why): return ReleaseStatus(release: release, ready: false, reason: "Progressing", message: "\(ref): \(why)")
                case .ready: break
                }
            }
            return ReleaseStatus(release: release, ready: true, reason: "Ready", message: "\(mine.count) objects ready")
        }
    }
}
