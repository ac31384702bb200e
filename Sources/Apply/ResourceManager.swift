import Foundation
import Kube
import Manifests
import Schema

/// What kind of change applying an object made.
public enum ChangeKind: String, Sendable, Codable {
    case created, configured, unchanged
    /// Deleted and created again, for a change of a field that cannot change in place (`--force`).
    case recreated
    /// A dry run's finding: a field that cannot change in place would change; the apply needs `--force`.
    case immutable
}

/// Progress of an apply, for the terminal, plain logs or JSON event lines.
public enum ApplyEvent: Sendable {
    case waveStarted(index: Int, count: Int, name: String, objects: Int)
    case applied(ObjectReference, ChangeKind)
    case ready(ObjectReference)
    case waveFinished(index: Int, name: String, seconds: Double)
    case willPrune([ObjectReference])
    case pruned(ObjectReference)
    /// Values generated for a Secret's `kiln.dev/generated-keys` (the key names only; never a value). In a dry run:
    /// the keys that would be generated.
    case generated(ObjectReference, keys: [String])
}

public struct ApplyOptions: Sendable {
    public var dryRun = false
    public var forceConflicts = false
    public var wait = true
    /// Seconds to wait for one wave to become ready.
    public var timeout: Double = 600
    public var pollInterval: Double = 1
    public var concurrency = 8
    public var prune = false
    /// Delete and recreate an object whose immutable fields changed (never one that holds data).
    public var recreate = false
    /// Also prune PersistentVolumeClaims, Namespaces and CRDs (never by default: they hold data or everything else).
    public var pruneProtected = false

    public init() {}
}

public struct ApplySummary: Sendable, Codable {
    public var created = 0
    public var configured = 0
    public var unchanged = 0
    public var recreated = 0
    /// Dry run: objects whose change needs `--force` (an immutable field).
    public var immutable = 0
    public var pruned = 0
    /// Secret keys whose values kiln generated (once: a key that holds a value is never generated again).
    public var generatedKeys = 0
    public var seconds = 0.0

    mutating func count(_ change: ChangeKind) {
        switch change {
        case .created: created += 1
        case .configured: configured += 1
        case .unchanged: unchanged += 1
        case .recreated: recreated += 1
        case .immutable: immutable += 1
        }
    }
}

/// An apply that stopped: which object, why, and what the cluster says about it.
public struct ApplyFailure: Error, Sendable, CustomStringConvertible {
    public let object: String
    public let reason: String
    public let details: [String]

    public var description: String {
        ([object + ": " + reason] + details.map { "  " + $0 }).joined(separator: "\n")
    }
}

/// Server-side apply of a rendered platform: one type, whose verbs live in their own files (apply, wait, prune,
/// diff, drift and status), as Flux's `ssa` package organises them.
public final class ResourceManager: @unchecked Sendable {
    public let client: KubeClient
    public let observe: @Sendable (ApplyEvent) -> Void

    public init(client: KubeClient, observe: @escaping @Sendable (ApplyEvent) -> Void = { _ in }) {
        self.client = client
        self.observe = observe
    }

    static func reference(_ object: ManifestObject) -> ObjectReference {
        ObjectReference(apiVersion: object.apiVersion, kind: object.kind, namespace: object.namespace, name: object.name)
    }

    /// Runs `work` for every item, at most `limit` at a time, keeping results in input order.
    static func concurrently<T: Sendable, R: Sendable>(_ items: [T], limit: Int,
                                                        _ work: @escaping @Sendable (T) async throws -> R) async throws -> [R] {
        try await withThrowingTaskGroup(of: (Int, R).self) { group in
            var results = [R?](repeating: nil, count: items.count)
            var next = 0
            func start() {
                guard next < items.count else { return }
                let i = next
                let item = items[i]
                group.addTask { (i, try await work(item)) }
                next += 1
            }
            for _ in 0..<max(1, limit) { start() }
            while let (i, result) = try await group.next() {
                results[i] = result
                start()
            }
            return results.compactMap { $0 }
        }
    }
}
