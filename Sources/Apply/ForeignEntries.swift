import Foundation
import Kube
import Manifests
import Schema

/// Entries other managers added to lists kiln sets: an env var from `kubectl set env`, a container from
/// `kubectl edit`. Server-side apply keeps them (they are not kiln's), so a dry run of kiln's apply still shows them;
/// but the reference compares the deployed manifest with the live state, and so does drift: within a keyed list kiln
/// renders, an entry it does not render is drift. Map keys kiln does not set are not (the server defaults them).
enum ForeignEntries {
    /// One entry kiln does not render: where it is (JSON pointer tokens) and what identifies it (its key fields, or
    /// the value itself in a set).
    struct Entry: Sendable {
        let pointer: [String]
        let identity: [(pointer: [String], value: JSONValue)]
    }

    /// The foreign entries of `server` (a dry-run result, or the live object), at every list `rendered` sets, in
    /// document order.
    static func find(in server: JSONValue, rendered: JSONValue, kind: String, path: [String] = [], pointer: [String] = []) -> [Entry] {
        switch (server, rendered) {
        case (.object(let members), .object):
            return members.flatMap { key, value -> [Entry] in
                guard let mine = rendered[key] else { return [] }
                return find(in: value, rendered: mine, kind: kind, path: path + [key], pointer: pointer + [key])
            }
        case (.array(let items), .array(let mine)):
            switch ListTypes.type(kind: kind, path: path) {
            case .atomic:
                return []
            case .set:
                return items.enumerated().filter { !mine.contains($0.element) }
                    .map { Entry(pointer: pointer + [String($0.offset)], identity: [([], $0.element)]) }
            case .map(let keys):
                return items.enumerated().flatMap { index, item -> [Entry] in
                    let at = pointer + [String(index)]
                    guard let match = mine.first(where: { entry in keys.allSatisfy { key(item, $0) == key(entry, $0) } }) else {
                        if isInjected(item, path: path) { return [] }
                        return [Entry(pointer: at, identity: keys.compactMap { k in item[k].map { ([k], $0) } })]
                    }
                    return find(in: item, rendered: match, kind: kind, path: path, pointer: at)
                }
            }
        default:
            return []
        }
    }

    /// `server` without its foreign entries (what drift compares with the live object).
    static func stripped(_ server: JSONValue, rendered: JSONValue, kind: String) -> JSONValue {
        // Last first: removing an entry shifts the indices after it, never those before.
        find(in: server, rendered: rendered, kind: kind).reversed().reduce(server) { removing($1.pointer[...], from: $0) }
    }

    /// A JSON patch (RFC 6902) that removes the foreign entries of `live`, each guarded by a `test` of what identifies
    /// it, so a list that changed meanwhile makes the patch fail rather than remove the wrong entry.
    static func removalPatch(live: JSONValue, rendered: JSONValue, kind: String) -> [JSONValue] {
        find(in: live, rendered: rendered, kind: kind).reversed().flatMap { entry -> [JSONValue] in
            let tests = entry.identity.map { identity in
                JSONValue.object([("op", .string("test")), ("path", .string(pointer(entry.pointer + identity.pointer))),
                                  ("value", identity.value)])
            }
            return tests + [.object([("op", .string("remove")), ("path", .string(pointer(entry.pointer)))])]
        }
    }

    /// A key field's value, with the schema's default when left out (a port's protocol is TCP).
    static func key(_ entry: JSONValue, _ name: String) -> JSONValue? {
        entry[name] ?? ListTypes.keyDefaults[name].map { .string($0) }
    }

    static func isInjected(_ entry: JSONValue, path: [String]) -> Bool {
        ["containers", "initContainers"].contains(path.last ?? "") && entry["name"]?.stringValue.map(KindRules.injectedSidecars.contains) == true
    }

    /// RFC 6901: `~` and `/` escaped.
    static func pointer(_ tokens: [String]) -> String {
        tokens.map { "/" + $0.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1") }.joined()
    }

    static func removing(_ pointer: ArraySlice<String>, from value: JSONValue) -> JSONValue {
        guard let first = pointer.first else { return value }
        switch value {
        case .object(var members):
            guard let i = members.firstIndex(where: { $0.0 == first }) else { return value }
            if pointer.count == 1 { members.remove(at: i) } else { members[i].1 = removing(pointer.dropFirst(), from: members[i].1) }
            return .object(members)
        case .array(var items):
            guard let i = Int(first), items.indices.contains(i) else { return value }
            if pointer.count == 1 { items.remove(at: i) } else { items[i] = removing(pointer.dropFirst(), from: items[i]) }
            return .array(items)
        default:
            return value
        }
    }
}
