import Diagnostics
import Schema
import YAML

/// YAML nodes → schema instances. Plain scalars stay untyped (the schema types them); quoted and block scalars are
/// strings; core tags (`!!str`, `!!int`, …) decide the type where they are written.
enum InstanceBuilder {
    static func instance(_ node: Node, keepLocations: Bool = true) -> Instance {
        let at = keepLocations ? node.location : nil
        switch node.content {
        case .scalar(let s):
            return Instance(scalar(s, tag: node.tag), at: at)
        case .sequence(let items):
            return Instance(.array(items.map { instance($0, keepLocations: keepLocations) }), at: at)
        case .mapping(let pairs):
            let members = pairs.map {
                Member(key: $0.name, keyLocation: keepLocations ? $0.key.location : nil,
                       value: instance($0.value, keepLocations: keepLocations))
            }
            return Instance(.object(members), at: at)
        }
    }

    /// The other way, for writing configs back out: untyped scalars stay plain, strings are quoted where needed.
    static func node(_ instance: Instance) -> Node {
        let at = SourceLocation(line: 0, column: 0)
        switch instance.content {
        case .null: return Node(.scalar(Scalar("null")), at: at)
        case .bool(let b): return Node(.scalar(Scalar(b ? "true" : "false")), at: at)
        case .number(let n): return Node(.scalar(Scalar(JSONValue.number(n).jsonText)), at: at)
        case .string(let s): return Node(.scalar(Scalar(s, style: s.utf8.contains(0x0A) ? .literal : .doubleQuoted)), at: at)
        case .untyped(let s): return Node(.scalar(Scalar(s)), at: at)
        case .array(let items): return Node(.sequence(items.map(node)), at: at)
        case .object(let members):
            return Node(.mapping(members.map { Pair(key: Node(.scalar(Scalar($0.key)), at: at), value: node($0.value)) }), at: at)
        }
    }

    private static func scalar(_ s: Scalar, tag: String?) -> Instance.Content {
        switch tag {
        case "tag:yaml.org,2002:str", "!": return .string(s.text)
        case "tag:yaml.org,2002:null": return .null
        case "tag:yaml.org,2002:bool":
            if ["true", "True", "TRUE"].contains(s.text) { return .bool(true) }
            if ["false", "False", "FALSE"].contains(s.text) { return .bool(false) }
            return .string(s.text)
        case "tag:yaml.org,2002:int", "tag:yaml.org,2002:float":
            return Double(s.text).map { .number($0) } ?? .string(s.text)
        default:
            return s.isPlain ? .untyped(s.text) : .string(s.text)
        }
    }
}
