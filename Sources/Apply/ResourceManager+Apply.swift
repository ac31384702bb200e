import Foundation
import Kube
import Manifests
import Schema

extension ResourceManager {
    /// Applies a render: wave by wave, objects of a wave in parallel, each wave waited for before the next; then
    /// prunes what left the set (only once every wave succeeded). The inventory parent is written first with the
    /// union of the old and new group-kinds, so an interrupted apply never loses track of an object.
    public func apply(_ result: RenderResult, inventory: ApplySet, options: ApplyOptions, tooling: String = "kiln/v1") async throws -> ApplySummary {
        let start = Date()
        var summary = ApplySummary()
        let waves = ApplyWaves.plan(result)
        let current = ApplySet.Contents(result)
        var recorded = ApplySet.Contents()
        for (index, wave) in waves.enumerated() {
            observe(.waveStarted(index: index + 1, count: waves.count, name: wave.name, objects: wave.objects.count))
            let waveStart = Date()
            let changes = try await ResourceManager.concurrently(wave.objects, limit: options.concurrency) { object in
                try await self.applyOne(object, inventory: inventory, options: options)
            }
            for change in changes {
                switch change {
                case .created: summary.created += 1
                case .configured: summary.configured += 1
                case .unchanged: summary.unchanged += 1
                }
            }
            if index == 0, !options.dryRun {
                // The system namespace exists now: record the union of what the set holds before anything else lands.
                recorded = inventory.recorded(try await client.get(inventory.parentReference))
                _ = try await client.apply(inventory.parent(recorded.union(current), tooling: tooling), force: true)
            }
            if options.wait, !options.dryRun {
                try await waitReady(wave.objects, options: options)
            }
            observe(.waveFinished(index: index + 1, name: wave.name, seconds: Date().timeIntervalSince(waveStart)))
        }
        if options.prune, !options.dryRun {
            summary.pruned = try await prune(try await pruneCandidates(of: result, inventory: inventory, recorded: recorded,
                                                                       protected: options.pruneProtected))
        }
        if !options.dryRun {
            // The set keeps recording what may still have members: everything, if nothing was pruned; the protected
            // kinds, if they were spared.
            let kept = !options.prune ? recorded.groupKinds
                : options.pruneProtected ? [] : recorded.groupKinds.filter { ResourceManager.protectedKinds.contains(ApplySet.split(groupKind: $0).kind) }
            let stillRecorded = ApplySet.Contents(groupKinds: kept, namespaces: kept.isEmpty ? [] : recorded.namespaces)
            _ = try await client.apply(inventory.parent(current.union(stillRecorded), tooling: tooling), force: true)
        }
        summary.seconds = Date().timeIntervalSince(start)
        return summary
    }

    /// One object: marked as a member of the set, applied as field manager kiln, classified by comparing the
    /// resource version before and after.
    func applyOne(_ object: ManifestObject, inventory: ApplySet, options: ApplyOptions) async throws -> ChangeKind {
        var member = object
        member.labels[ApplySet.partOfLabel] = inventory.id
        let ref = ResourceManager.reference(object)
        let live = try await client.get(ref)
        let applied = try await client.apply(member.json, force: options.forceConflicts, dryRun: options.dryRun)
        let change: ChangeKind
        if live == nil {
            change = .created
        } else if live?["metadata"]?["resourceVersion"] == applied["metadata"]?["resourceVersion"] {
            change = .unchanged
        } else {
            change = options.dryRun && ResourceManager.sameContent(live, applied) ? .unchanged : .configured
        }
        observe(.applied(ref, change))
        return change
    }

    static func sameContent(_ a: JSONValue?, _ b: JSONValue?) -> Bool {
        guard let a, let b else { return false }
        return Normalize.forComparison(a) == Normalize.forComparison(b)
    }
}
