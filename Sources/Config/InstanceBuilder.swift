import Diagnostics
import Schema
import YAML

/// YAML nodes → schema instances. Plain scalars stay untyped (the schema types them); quoted and block scalars are
/// strings; core tags (`!!str`, `!!int`, …) decide the type where they are written.
enum InstanceBuilder {
    static func instance(_ node: Node) -> Instance {
        switch node.content {
        case .scalar(let s):
            return Instance(scalar(s, tag: node.tag), at: node.location)
        case .sequence(let items):
            return Instance(.array(items.map(instance)), at: node.location)
        case .mapping(let pairs):
            let members = pairs.map { Member(key: $0.name, keyLocation: $0.key.location, value: instance($0.value)) }
            return Instance(.object(members), at: node.location)
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
