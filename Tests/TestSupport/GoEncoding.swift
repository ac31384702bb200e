import Schema

/// What survives the API server's round trip through Go types: it decodes a built-in object into its struct and
/// stores what `encoding/json` writes back, where `omitempty` drops empty slices and empty maps. So `egress: []`
/// sent to a NetworkPolicy is stored as no `egress` at all — and since the decoded `[]` is not `DeepEqual` to the
/// stored nil, every apply that sends it again counts as a spec change (generation 6 → 7 → 8).
/// Empty structs are kept (`encoding/json` never omits a struct: `podSelector: {}`, `resources: {}`,
/// `securityContext: {}` stay), as are the few slices declared without `omitempty`. Custom resources are stored as
/// sent and never pass through this.
enum GoEncoding {
    /// Field names whose Go type is a map (`map[string]string`, `ResourceList`), so `omitempty` drops them when empty.
    static let mapFields: Set<String> = ["labels", "annotations", "data", "binaryData", "stringData", "nodeSelector",
                                         "matchLabels", "parameters", "capacity", "limits", "requests", "allocatable"]

    /// Maps under other names, per kind (a Service's selector is a map, a Deployment's a struct).
    static let kindMapFields: [String: Set<String>] = ["Service": ["spec.selector"]]

    /// Slices declared without `omitempty`, so an empty one is written as `[]`.
    static let keptEmptyLists: Set<String> = ["containers", "rules", "versions"]

    static func encoded(_ object: JSONValue, kind: String) -> JSONValue {
        encode(object, kind: kind, path: [])
    }

    private static func encode(_ value: JSONValue, kind: String, path: [String]) -> JSONValue {
        switch value {
        case .object(let members):
            return .object(members.compactMap { name, child in
                let childPath = path + [name]
                let encoded = encode(child, kind: kind, path: childPath)
                switch encoded {
                case .array(let items) where items.isEmpty && !keptEmptyLists.contains(name): return nil
                case .object(let fields) where fields.isEmpty && isMap(kind: kind, path: childPath): return nil
                case .null: return nil
                default: return (name, encoded)
                }
            })
        case .array(let items):
            return .array(items.map { encode($0, kind: kind, path: path) })
        default:
            return value
        }
    }

    private static func isMap(kind: String, path: [String]) -> Bool {
        mapFields.contains(path.last ?? "") || kindMapFields[kind]?.contains(path.joined(separator: ".")) == true
    }
}
