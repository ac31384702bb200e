import Schema
import YAML

/// Objects as YAML text: block style, keys in the order the object holds them, strings quoted wherever a YAML 1.1 or
/// 1.2 reader could take them for something else ("on", "yes", "0755", "1e3" stay strings).
public enum ManifestYAML {
    public static func text(_ object: ManifestObject) -> String {
        YAMLEmitter().emit(node(object.json))
    }

    /// Any JSON object (a live object read back from a cluster) as YAML.
    public static func text(json: JSONValue) -> String {
        YAMLEmitter().emit(node(json))
    }

    /// A multi-document stream.
    public static func stream(_ objects: [ManifestObject]) -> String {
        objects.map { "---\n" + text($0) }.joined()
    }

    static let at = Diagnostics.SourceLocation(line: 0, column: 0)

    static func node(_ value: JSONValue) -> Node {
        switch value {
        case .null: return Node(.scalar(Scalar("null")), at: at)
        case .bool(let b): return Node(.scalar(Scalar(b ? "true" : "false")), at: at)
        case .number(let n): return Node(.scalar(Scalar(JSONValue.number(n).jsonText)), at: at)
        case .string(let s):
            return Node(.scalar(Scalar(s, style: s.utf8.contains(0x0A) ? .literal : .doubleQuoted)), at: at)
        case .array(let items): return Node(.sequence(items.map(node)), at: at)
        case .object(let members):
            return Node(.mapping(members.map { Pair(key: Node(.scalar(Scalar($0.0, style: .doubleQuoted)), at: at), value: node($0.1)) }), at: at)
        }
    }
}

import Diagnostics
