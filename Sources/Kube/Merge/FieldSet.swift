import Schema

/// The fields an object (or an applied configuration) sets, at the granularity server-side apply owns them: map
/// fields one by one, keyed list entries by key (`k:{"name":"app"}`), set entries by value (`v:"x"`), atomic lists
/// and atomic maps as one leaf. It is what `metadata.managedFields[].fieldsV1` holds for each manager.
///
/// The apply engine uses it to see, without a request, that an apply would change nothing (kiln's managed fields
/// equal the rendered object's `FieldSet` and every rendered value equals the live one), and to find drift.
public struct FieldSet: Sendable, Equatable, CustomStringConvertible {
    /// This node is itself in the set: a leaf value, or a list entry (FieldsV1 writes `".":{}` when it has children).
    public private(set) var isMember: Bool
    /// Children by FieldsV1 element text (`f:image`, `k:{"name":"app"}`).
    public private(set) var children: [String: FieldSet]

    public init() {
        isMember = false
        children = [:]
    }

    init(member: Bool, children: [String: FieldSet] = [:]) {
        isMember = member
        self.children = children
    }

    public var isEmpty: Bool { !isMember && children.isEmpty }

    /// Fields no manager owns, as the API server strips them before tracking ownership: the object's identity and
    /// what the server itself writes.
    static let serverFields: [[String]] = [["apiVersion"], ["kind"]] + ["name", "namespace", "creationTimestamp", "selfLink", "uid",
        "generation", "managedFields", "resourceVersion", "deletionTimestamp", "deletionGracePeriodSeconds"].map { ["metadata", $0] }

    /// The fields `object` sets, with the list semantics of `kind` (see `ListTypes`). Nulls set nothing; an empty map
    /// or keyed list sets nothing either (structured-merge-diff has no element to own), an empty atomic list is a leaf.
    public init(of object: JSONValue, kind: String) {
        self = Self.walk(object, kind: kind, path: [])
        for path in Self.serverFields { self = subtracting(FieldSet(path: path.map { .field($0) })) }
    }

    /// A set holding one path.
    public init(path: [FieldPathElement]) {
        guard let first = path.first else {
            self.init(member: true)
            return
        }
        self.init(member: false, children: [first.text: FieldSet(path: Array(path.dropFirst()))])
    }

    private static func walk(_ value: JSONValue, kind: String, path: [String]) -> FieldSet {
        switch value {
        case .null: return FieldSet()
        case .object(let members):
            if ListTypes.isAtomicMap(kind: kind, path: path) { return FieldSet(member: true) }
            var children: [String: FieldSet] = [:]
            for (name, child) in members {
                let node = walk(child, kind: kind, path: path + [name])
                if !node.isEmpty { children[FieldPathElement.field(name).text] = node }
            }
            return FieldSet(member: false, children: children)
        case .array(let items):
            let type = ListTypes.type(kind: kind, path: path)
            if type == .atomic { return FieldSet(member: true) }
            var children: [String: FieldSet] = [:]
            for (index, item) in items.enumerated() {
                var node = type == .set ? FieldSet() : walk(item, kind: kind, path: path)
                node.isMember = true
                children[FieldPathElement.entry(item, in: type, at: index).text] = node
            }
            return FieldSet(member: false, children: children)
        default:
            return FieldSet(member: true)
        }
    }

    // MARK: - FieldsV1

    /// Reads `managedFields[].fieldsV1`: `{"f:spec":{"f:replicas":{}}}`, `".":{}` marking a node that is itself owned.
    public init(fieldsV1 json: JSONValue) {
        self.init()
        for (key, child) in json.objectValue ?? [] {
            if key == "." {
                isMember = true
            } else {
                let node = FieldSet(fieldsV1: child)
                children[key] = node.children.isEmpty ? FieldSet(member: true) : node
            }
        }
    }

    /// The FieldsV1 JSON of this set, `"."` first and then the elements in order.
    public var fieldsV1: JSONValue {
        var members: [(String, JSONValue)] = isMember && !children.isEmpty ? [(".", .object([]))] : []
        for key in children.keys.sorted() { members.append((key, children[key]!.fieldsV1)) }
        return .object(members)
    }

    public var description: String { fieldsV1.jsonText }

    // MARK: - Set operations

    public func union(_ other: FieldSet) -> FieldSet {
        var result = FieldSet(member: isMember || other.isMember, children: children)
        for (key, node) in other.children { result.children[key] = result.children[key]?.union(node) ?? node }
        return result
    }

    public func subtracting(_ other: FieldSet) -> FieldSet {
        var result = FieldSet(member: isMember && !other.isMember)
        for (key, node) in children {
            let rest = other.children[key].map { node.subtracting($0) } ?? node
            if !rest.isEmpty { result.children[key] = rest }
        }
        return result
    }

    public func intersection(_ other: FieldSet) -> FieldSet {
        var result = FieldSet(member: isMember && other.isMember)
        for (key, node) in children {
            guard let theirs = other.children[key] else { continue }
            let both = node.intersection(theirs)
            if !both.isEmpty { result.children[key] = both }
        }
        return result
    }

    public func contains(_ path: [FieldPathElement]) -> Bool {
        guard let first = path.first else { return isMember }
        return children[first.text]?.contains(Array(path.dropFirst())) ?? false
    }

    /// The set below `element`, empty when there is nothing there.
    public func child(_ element: FieldPathElement) -> FieldSet { children[element.text] ?? FieldSet() }

    /// Every member path, depth first in element order.
    public var paths: [[FieldPathElement]] { collect(leavesOnly: false) }

    /// Member paths with no members below them: the values the set owns (scalars, atomic lists and maps, set entries).
    public var leaves: [[FieldPathElement]] { collect(leavesOnly: true) }

    private func collect(leavesOnly: Bool) -> [[FieldPathElement]] {
        var out: [[FieldPathElement]] = isMember && (!leavesOnly || children.isEmpty) ? [[]] : []
        for key in children.keys.sorted() {
            guard let element = FieldPathElement(text: key) else { continue }
            out += children[key]!.collect(leavesOnly: leavesOnly).map { [element] + $0 }
        }
        return out
    }

    // MARK: - Values

    /// The value at `path` in `object`, nil when the object has nothing there.
    public static func value(at path: [FieldPathElement], in object: JSONValue) -> JSONValue? {
        guard let first = path.first else { return object }
        let rest = Array(path.dropFirst())
        switch first {
        case .field(let name):
            return object[name].flatMap { value(at: rest, in: $0) }
        default:
            guard let items = object.arrayValue,
                  let index = items.indices.first(where: { first.names(items[$0], at: $0) }) else { return nil }
            return value(at: rest, in: items[index])
        }
    }

    /// The owned values of `object` at this set's leaves, in path order (nil where the object has none).
    public func leafValues(in object: JSONValue) -> [(path: [FieldPathElement], value: JSONValue?)] {
        leaves.map { ($0, Self.value(at: $0, in: object)) }
    }

    /// What changes between `old` and `new`: fields added, removed, or holding another value. An update takes these
    /// from their other owners.
    public static func changes(from old: JSONValue?, to new: JSONValue, kind: String) -> FieldSet {
        let before = old.map { FieldSet(of: $0, kind: kind) } ?? FieldSet()
        let after = FieldSet(of: new, kind: kind)
        var changed = after.subtracting(before).union(before.subtracting(after))
        for path in after.intersection(before).leaves where value(at: path, in: old ?? .null) != value(at: path, in: new) {
            changed = changed.union(FieldSet(path: path))
        }
        return changed
    }
}
