import Schema

/// A change a watch reports.
struct WatchEvent {
    enum Kind: String {
        case added = "ADDED"
        case modified = "MODIFIED"
        case deleted = "DELETED"
    }

    var resourceVersion: Int
    var kind: Kind
    var key: String
    var object: JSONValue
}

/// Objects by key (`apiVersion/resource/namespace/name`, namespace empty for cluster-scoped kinds), with etcd's
/// single revision counter — every write of any object takes the next resourceVersion — and the history of changes
/// that watches replay, kept until compacted.
struct ObjectStore {
    private(set) var objects: [String: JSONValue] = [:]
    /// The resourceVersion of the last write: what a list reports as its own.
    private(set) var revision = 0
    private(set) var history: [WatchEvent] = []
    /// Events up to this revision are gone; a watch from an older resourceVersion is answered 410 Gone.
    private(set) var compacted = 0
    /// History kept at most, as etcd compacts on its own (every five minutes on a real cluster).
    static let retained = 10_000

    static func key(_ resource: ServedResource, namespace: String?, name: String) -> String {
        "\(resource.storeGroupVersion)/\(resource.plural)/\(namespace ?? "")/\(name)"
    }

    static func namespaceKey(_ name: String) -> String { "v1/namespaces//\(name)" }

    /// The parts of a key: group version (which may hold a slash), resource, namespace (nil when empty) and name.
    static func parts(_ key: String) -> (groupVersion: String, plural: String, namespace: String?, name: String)? {
        let parts = key.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 4 else { return nil }
        let n = parts.count
        return (parts[0..<(n - 3)].joined(separator: "/"), parts[n - 3], parts[n - 2].isEmpty ? nil : parts[n - 2], parts[n - 1])
    }

    subscript(key: String) -> JSONValue? { objects[key] }

    /// Stores `object` under the next resourceVersion and records the change; returns the object as stored.
    @discardableResult
    mutating func write(_ object: JSONValue, at key: String) -> JSONValue {
        revision += 1
        let stored = JSONEditing.setting(object, ["metadata", "resourceVersion"], .string("\(revision)"))
        let kind: WatchEvent.Kind = objects[key] == nil ? .added : .modified
        objects[key] = stored
        record(WatchEvent(resourceVersion: revision, kind: kind, key: key, object: stored))
        return stored
    }

    @discardableResult
    mutating func delete(_ key: String) -> JSONValue? {
        guard let object = objects.removeValue(forKey: key) else { return nil }
        revision += 1
        let last = JSONEditing.setting(object, ["metadata", "resourceVersion"], .string("\(revision)"))
        record(WatchEvent(resourceVersion: revision, kind: .deleted, key: key, object: last))
        return last
    }

    /// Forgets every change so far, as etcd's compaction does.
    mutating func compact() {
        compacted = revision
        history.removeAll()
    }

    /// Changes after `resourceVersion`, oldest first.
    func events(after resourceVersion: Int) -> ArraySlice<WatchEvent> {
        let start = history.firstIndex { $0.resourceVersion > resourceVersion } ?? history.endIndex
        return history[start...]
    }

    private mutating func record(_ event: WatchEvent) {
        history.append(event)
        if history.count > Self.retained {
            compacted = history[history.count - Self.retained - 1].resourceVersion
            history.removeFirst(history.count - Self.retained)
        }
    }
}
