import Schema

/// How server-side apply combines values (structured-merge-diff's merge and prune, for JSON with `ListTypes`).
public enum StructuredMerge {
    /// `applied` merged into `live`: the applied value wins at every field it sets, maps merge field by field, keyed
    /// lists and sets merge entry by entry (live entries keep their place, new ones follow in applied order), atomic
    /// lists and maps are replaced whole. Nulls in `applied` set nothing.
    public static func merge(live: JSONValue?, applied: JSONValue, kind: String) -> JSONValue {
        merge(live, applied, kind: kind, path: [])
    }

    private static func merge(_ live: JSONValue?, _ applied: JSONValue, kind: String, path: [String]) -> JSONValue {
        switch applied {
        case .object(let changes):
            let atomic = ListTypes.isAtomicMap(kind: kind, path: path)
            var members = atomic ? [] : live?.objectValue ?? []
            for (name, change) in changes {
                if case .null = change { continue }
                if let i = members.firstIndex(where: { $0.0 == name }) {
                    members[i].1 = merge(members[i].1, change, kind: kind, path: path + [name])
                } else {
                    members.append((name, merge(nil, change, kind: kind, path: path + [name])))
                }
            }
            return .object(members)
        case .array(let changes):
            let type = ListTypes.type(kind: kind, path: path)
            if type == .atomic { return applied }
            var items = live?.arrayValue ?? []
            for (index, change) in changes.enumerated() {
                let element = FieldPathElement.entry(change, in: type, at: index)
                let merged = type == .set ? change : merge(nil, change, kind: kind, path: path)
                if let i = items.indices.first(where: { element.names(items[$0], at: $0) }) {
                    items[i] = type == .set ? change : merge(items[i], change, kind: kind, path: path)
                } else {
                    items.append(merged)
                }
            }
            return .array(items)
        default:
            return applied
        }
    }

    /// `object` without the fields of `removed`, except where `kept` still holds something: a list entry another
    /// manager owns a field of stays (with that field), as structured-merge-diff adds back items others own.
    public static func removing(_ removed: FieldSet, from object: JSONValue, keeping kept: FieldSet) -> JSONValue {
        switch object {
        case .object(var members):
            for (key, node) in removed.children {
                guard case .field(let name)? = FieldPathElement(text: key),
                      let i = members.firstIndex(where: { $0.0 == name }) else { continue }
                let keep = kept.children[key] ?? FieldSet()
                if node.isMember, keep.isEmpty {
                    members.remove(at: i)
                } else {
                    members[i].1 = removing(node, from: members[i].1, keeping: keep)
                }
            }
            return .object(members)
        case .array(let items):
            var result: [JSONValue] = []
            for (index, item) in items.enumerated() {
                guard let (key, node) = removed.children.first(where: { FieldPathElement(text: $0.key)?.names(item, at: index) == true })
                else {
                    result.append(item)
                    continue
                }
                let keep = kept.children[key] ?? FieldSet()
                if node.isMember, keep.isEmpty { continue }
                result.append(removing(withoutKeyFields(node, key), from: item, keeping: keep))
            }
            return .array(result)
        default:
            return object
        }
    }

    /// A keyed entry that stays keeps its key fields, whoever owned them.
    private static func withoutKeyFields(_ node: FieldSet, _ key: String) -> FieldSet {
        guard case .key(let fields)? = FieldPathElement(text: key) else { return node }
        return fields.reduce(node) { $0.subtracting(FieldSet(path: [.field($1.0)])) }
    }
}
