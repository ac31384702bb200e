import Foundation
import Kube
import Manifests
import Schema

extension ResourceManager {
    /// Applies a render: wave by wave, objects of a wave in parallel, each wave waited for before the next; then
    /// prunes what left the set (only once every wave succeeded). The inventory parent is written first with the
    /// union of the old and new group-kinds, so an interrupted apply never loses track of an object. Refuses, before
    /// anything is sent, when the inventory records another platform.
    public func apply(_ result: RenderResult, inventory: ApplySet, options: ApplyOptions, tooling: String = "kiln/v1") async throws -> ApplySummary {
        let start = ContinuousClock.now
        var summary = ApplySummary()
        let waves = ApplyWaves.plan(result)
        let current = ApplySet.Contents(result)
        let recorded = inventory.recorded(try await ownedInventory(result, inventory))
        let creating = Set(result.objects.filter { $0.kind == "Namespace" }.map(\.name))
        for (index, wave) in waves.enumerated() {
            observe(.waveStarted(index: index + 1, count: waves.count, name: wave.name, objects: wave.objects.count))
            let waveStart = ContinuousClock.now
            let snapshot = try await LiveSnapshot.read(wave.objects, client: client, inventory: inventory, concurrency: options.concurrency)
            let outcomes = try await ResourceManager.concurrently(wave.objects, limit: options.concurrency) { object in
                (ResourceManager.reference(object),
                 try await self.applyObserving(object, inventory: inventory, options: options, creating: creating, snapshot: snapshot))
            }
            outcomes.forEach { summary.count($0.1.change); summary.generatedKeys += $0.1.generated }
            let seen = Dictionary(outcomes.compactMap { ref, outcome in outcome.object.map { (ref, $0) } }) { a, _ in a }
            if index == 0, !options.dryRun {
                // The system namespace exists now: record the union of what the set holds before anything else lands.
                _ = try await client.apply(inventory.parent(recorded.union(current), tooling: tooling, platform: result.platform), force: true)
            }
            if options.wait, !options.dryRun {
                try await waitReady(wave.objects, options: options, seen: seen)
            }
            observe(.waveFinished(index: index + 1, name: wave.name, seconds: waveStart.duration(to: .now).seconds))
        }
        if options.prune, !options.dryRun {
            summary.pruned = try await prune(try await pruneCandidates(of: result, inventory: inventory, recorded: recorded,
                                                                       protected: options.pruneProtected))
        } else if !options.dryRun {
            // Kinds whose leftovers do harm go without --prune (`KindRules`: a disruption budget the render replaced).
            summary.pruned = try await prune(try await pruneCandidates(of: result, inventory: inventory, recorded: recorded, protected: false,
                                                                       kinds: { KindRules.rule(for: $0).prunedAlways != nil }))
        }
        if !options.dryRun {
            // The set keeps recording what may still have members: everything, if nothing was pruned; the protected
            // kinds, if they were spared.
            let kept = !options.prune ? recorded.groupKinds
                : options.pruneProtected ? [] : recorded.groupKinds.filter { ResourceManager.protectedKinds.contains(ApplySet.split(groupKind: $0).kind) }
            let stillRecorded = ApplySet.Contents(groupKinds: kept, namespaces: kept.isEmpty ? [] : recorded.namespaces)
            _ = try await client.apply(inventory.parent(current.union(stillRecorded), tooling: tooling, platform: result.platform), force: true)
        }
        summary.seconds = start.duration(to: .now).seconds
        return summary
    }

    /// The live inventory parent, after checking it is this platform's: applying a data plane's config over a control
    /// plane (or a platform under another `name`) would prune the other's objects as "no longer rendered".
    func ownedInventory(_ result: RenderResult, _ inventory: ApplySet) async throws -> JSONValue? {
        let live = try await client.get(inventory.parentReference)
        if let platform = result.platform, let recorded = inventory.recordedPlatform(live), recorded != platform {
            throw ApplyFailure(
                object: inventory.parentReference.description,
                reason: "this inventory belongs to platform \(recorded), and the config is platform \(platform): refusing to apply one over the other",
                details: [recorded.name != platform.name
                    ? "a platform's `name` cannot change after install; put it back to \(recorded.name), or install the new one with its own namespaces.system.name"
                    : "a data plane and a control plane need their own system namespaces (namespaces.system.name)"])
        }
        return live
    }

    /// One object: marked as a member of the set, applied as field manager kiln, classified by comparing the
    /// resource version before and after. In a dry run, an object in a namespace this plan creates cannot be sent
    /// (the server refuses it: the namespace does not exist yet), so it is reported as to be created. A refusal of
    /// an immutable-field change names the field; with `recreate` the object is deleted and created again.
    func applyOne(_ object: ManifestObject, inventory: ApplySet, options: ApplyOptions, creating: Set<String> = []) async throws -> ChangeKind {
        try await applyObserving(object, inventory: inventory, options: options, creating: creating).change
    }

    /// `applyOne`, with the object as the server last showed it (nil when nothing was stored, as in a dry run).
    func applyObserving(_ object: ManifestObject, inventory: ApplySet, options: ApplyOptions, creating: Set<String>,
                        snapshot: LiveSnapshot? = nil) async throws -> (change: ChangeKind, object: JSONValue?, generated: Int) {
        var member = object
        member.labels[ApplySet.partOfLabel] = inventory.id
        let ref = ResourceManager.reference(object)
        let live = try await self.live(ref, in: snapshot)
        if let live, UnchangedCheck.wouldNotChange(member.json, live: live) {
            // Nothing to write: no request, and the object's resourceVersion stays.
            observe(.applied(ref, .unchanged))
            return (.unchanged, live, try await generating(object, ref, live: live, options: options))
        }
        let change: ChangeKind
        var stored: JSONValue?
        do {
            let applied = try await client.apply(member.json, force: options.forceConflicts, dryRun: options.dryRun)
            stored = options.dryRun ? nil : applied
            if live == nil {
                change = .created
            } else if live?["metadata"]?["resourceVersion"] == applied["metadata"]?["resourceVersion"] {
                change = .unchanged
            } else {
                change = options.dryRun && ResourceManager.sameContent(live, applied) ? .unchanged : .configured
            }
        } catch let error as KubeError where options.dryRun && live == nil && Self.namespaceMissing(error, object.namespace, creating) {
            change = .created
        } catch let error as KubeError {
            guard let refusal = ImmutableFieldRefusal(error) else { throw error }
            change = try await recreating(member, ref, refusal, options: options)
        }
        observe(.applied(ref, change))
        return (change, stored, try await generating(object, ref, live: options.dryRun ? live : stored, options: options))
    }

    /// Generates the values a Secret asks for and does not hold yet (`GeneratedSecretKeys`); how many. A dry run
    /// reports the keys a first apply would generate and writes nothing.
    func generating(_ object: ManifestObject, _ ref: ObjectReference, live: JSONValue?, options: ApplyOptions) async throws -> Int {
        let requested = GeneratedSecretKeys.requested(by: object)
        guard !requested.isEmpty else { return 0 }
        if options.dryRun {
            let missing = GeneratedSecretKeys.missing(requested, in: live)
            if !missing.isEmpty { observe(.generated(ref, keys: missing)) }
            return missing.count
        }
        let generated = try await GeneratedSecretKeys.fill(ref, keys: requested, live: live, client: client)
        if !generated.isEmpty { observe(.generated(ref, keys: generated)) }
        return generated.count
    }

    /// What an immutable-field refusal becomes: an error naming the field and the remedy, or with `recreate` (and a
    /// kind that holds no data) a delete, a wait for the object to go, and a create.
    func recreating(_ member: ManifestObject, _ ref: ObjectReference, _ refusal: ImmutableFieldRefusal, options: ApplyOptions) async throws -> ChangeKind {
        let rule = KindRules.rule(for: member.kind)
        if let never = rule.neverRecreate {
            throw ApplyFailure(object: ref.description, reason: "\(refusal.fieldList) cannot change once created",
                               details: [refusal.message, "kiln never recreates a \(member.kind) (\(never)): put the old value back in the config"])
        }
        guard options.recreate else {
            if options.dryRun { return .immutable }
            throw ApplyFailure(object: ref.description, reason: "\(refusal.fieldList) cannot change once created",
                               details: [refusal.message, "remedy: `kiln apply --force` deletes the \(member.kind) and creates it again"])
        }
        if options.dryRun { return .recreated }
        _ = try await client.delete(ref, propagation: "Background")
        let deadline = ContinuousClock.now.advanced(by: .seconds(options.timeout))
        while try await client.get(ref) != nil {
            guard ContinuousClock.now < deadline else {
                throw ApplyFailure(object: ref.description, reason: "deleted to be recreated, but still there after \(Int(options.timeout))s",
                                   details: ["a finalizer may hold it: kubectl get \(member.kind.lowercased()) \(member.name) -o yaml"])
            }
            try await Task.sleep(for: .seconds(options.pollInterval))
        }
        _ = try await client.apply(member.json, force: options.forceConflicts)
        return .recreated
    }

    /// The server's refusal of an object in a namespace that does not exist yet, when this plan creates it.
    static func namespaceMissing(_ error: KubeError, _ namespace: String?, _ creating: Set<String>) -> Bool {
        guard error.status == 404, let namespace, creating.contains(namespace) else { return false }
        return error.message.contains("namespaces \"\(namespace)\" not found")
    }

    static func sameContent(_ a: JSONValue?, _ b: JSONValue?) -> Bool {
        guard let a, let b else { return false }
        return Normalize.forComparison(a) == Normalize.forComparison(b)
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
