import Foundation
import Kube
import Schema

/// The three patch formats besides apply, as the API server applies them to the live object.
enum Patches {
    struct Failure: Error {
        var code: Int
        var message: String
    }

    /// RFC 7386 (`application/merge-patch+json`): maps merge, null removes, anything else (lists included) replaces.
    static func merge(_ target: JSONValue?, _ patch: JSONValue) -> JSONValue {
        guard case .object(let changes) = patch else { return patch }
        var members = target?.objectValue ?? []
        for (name, change) in changes {
            let index = members.firstIndex { $0.0 == name }
            if case .null = change {
                if let index { members.remove(at: index) }
            } else if let index {
                members[index].1 = merge(members[index].1, change)
            } else {
                members.append((name, merge(nil, change)))
            }
        }
        return .object(members)
    }

    /// Strategic merge patch (`application/strategic-merge-patch+json`, what `kubectl set env`, `kubectl scale`
    /// and client-side `kubectl apply` send): a merge patch whose keyed lists merge entry by entry, by the keys of
    /// `ListTypes` (an entry `{"name": "X", "$patch": "delete"}` removes one), and whose sets gain entries.
    /// Other directives (`$setElementOrder/…`, `$retainKeys`) only order or prune and are left out here.
    static func strategic(_ target: JSONValue?, _ patch: JSONValue, kind: String, path: [String] = []) -> JSONValue {
        switch patch {
        case .object(let changes):
            if changes.contains(where: { $0.0 == "$patch" && $0.1 == .string("replace") }) {
                return .object(changes.filter { !$0.0.hasPrefix("$") })
            }
            var members = target?.objectValue ?? []
            for (name, change) in changes where !name.hasPrefix("$") {
                let index = members.firstIndex { $0.0 == name }
                if case .null = change {
                    if let index { members.remove(at: index) }
                } else if let index {
                    members[index].1 = strategic(members[index].1, change, kind: kind, path: path + [name])
                } else {
                    members.append((name, strategic(nil, change, kind: kind, path: path + [name])))
                }
            }
            for (name, change) in changes where name.hasPrefix("$deleteFromPrimitiveList/") {
                let field = String(name.dropFirst("$deleteFromPrimitiveList/".count))
                guard let index = members.firstIndex(where: { $0.0 == field }), let removed = change.arrayValue else { continue }
                members[index].1 = .array((members[index].1.arrayValue ?? []).filter { !removed.contains($0) })
            }
            return .object(members)
        case .array(let changes):
            switch ListTypes.type(kind: kind, path: path) {
            case .atomic: return patch
            case .set:
                let items = target?.arrayValue ?? []
                return .array(items + changes.filter { !items.contains($0) })
            case .map(let keys):
                var items = target?.arrayValue ?? []
                for change in changes {
                    let index = items.firstIndex { item in keys.allSatisfy { key in sameKey(item, change, key) } }
                    if change["$patch"] == .string("delete") {
                        if let index { items.remove(at: index) }
                    } else if let index {
                        items[index] = strategic(items[index], change, kind: kind, path: path)
                    } else {
                        items.append(strategic(nil, change, kind: kind, path: path))
                    }
                }
                return .array(items)
            }
        default:
            return patch
        }
    }

    private static func sameKey(_ a: JSONValue, _ b: JSONValue, _ key: String) -> Bool {
        let fallback = ListTypes.keyDefaults[key].map(JSONValue.string)
        return (a[key] ?? fallback) == (b[key] ?? fallback)
    }

    /// RFC 6902 (`application/json-patch+json`): `add`, `remove`, `replace`, `move`, `copy`, `test` at JSON pointers.
    static func json(_ target: JSONValue, _ operations: JSONValue) throws -> JSONValue {
        guard let operations = operations.arrayValue else { throw Failure(code: 400, message: "a JSON patch is an array of operations") }
        var document = target
        for operation in operations {
            guard let op = operation["op"]?.stringValue, let path = operation["path"]?.stringValue.map(pointer) else {
                throw Failure(code: 400, message: "a JSON patch operation needs op and path")
            }
            switch op {
            case "add": document = try edit(document, path[...], .add(operation["value"] ?? .null))
            case "remove": document = try edit(document, path[...], .remove)
            case "replace": document = try edit(document, path[...], .replace(operation["value"] ?? .null))
            case "move", "copy":
                guard let from = operation["from"]?.stringValue.map(pointer), let value = read(document, from[...]) else {
                    throw Failure(code: 422, message: "the \(op) operation's from path does not exist")
                }
                if op == "move" { document = try edit(document, from[...], .remove) }
                document = try edit(document, path[...], .add(value))
            case "test":
                guard read(document, path[...]) == operation["value"] ?? .null else {
                    throw Failure(code: 422, message: "the test operation failed at \(operation["path"]?.stringValue ?? "")")
                }
            default: throw Failure(code: 400, message: "unknown JSON patch operation \(op)")
            }
        }
        return document
    }

    private enum Edit {
        case add(JSONValue)
        case remove
        case replace(JSONValue)
    }

    private static func pointer(_ text: String) -> [String] {
        text.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map {
            $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
        }
    }

    private static func read(_ value: JSONValue, _ path: ArraySlice<String>) -> JSONValue? {
        guard let first = path.first else { return value }
        if let items = value.arrayValue {
            guard let index = Int(first), items.indices.contains(index) else { return nil }
            return read(items[index], path.dropFirst())
        }
        return value[first].flatMap { read($0, path.dropFirst()) }
    }

    private static func edit(_ value: JSONValue, _ path: ArraySlice<String>, _ edit: Edit) throws -> JSONValue {
        guard let first = path.first else {
            if case .add(let new) = edit { return new }
            if case .replace(let new) = edit { return new }
            throw Failure(code: 422, message: "cannot remove the whole document")
        }
        let last = path.count == 1
        switch value {
        case .array(var items):
            let index = first == "-" ? items.count : Int(first) ?? -1
            if last {
                switch edit {
                case .add(let new) where (0...items.count).contains(index): items.insert(new, at: index)
                case .remove where items.indices.contains(index): items.remove(at: index)
                case .replace(let new) where items.indices.contains(index): items[index] = new
                default: throw Failure(code: 422, message: "no list index \(first)")
                }
            } else {
                guard items.indices.contains(index) else { throw Failure(code: 422, message: "no list index \(first)") }
                items[index] = try self.edit(items[index], path.dropFirst(), edit)
            }
            return .array(items)
        case .object(var members):
            let index = members.firstIndex { $0.0 == first }
            if last {
                switch (edit, index) {
                case (.add(let new), let index?), (.replace(let new), let index?): members[index].1 = new
                case (.add(let new), nil): members.append((first, new))
                case (.remove, let index?): members.remove(at: index)
                default: throw Failure(code: 422, message: "no field \(first) to \(edit)")
                }
            } else {
                guard let index else { throw Failure(code: 422, message: "no field \(first)") }
                members[index].1 = try self.edit(members[index].1, path.dropFirst(), edit)
            }
            return .object(members)
        default:
            throw Failure(code: 422, message: "cannot descend into a scalar at \(first)")
        }
    }
}
