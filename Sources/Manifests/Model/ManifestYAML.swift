import Schema
import YAML

/// Objects as YAML text: block style, keys in the order the object holds them, strings quoted wherever a YAML 1.1 or
/// 1.2 reader could take them for something else ("on", "yes", "0755", "1e3" stay strings).
///
/// The text is `YAMLEmitter`'s for the same tree (a test holds them equal for every example), written straight from
/// the JSON tree into one byte buffer: building a `Node` tree first, and a string per nested list item, was half of
/// `kiln render`'s time. The quoting rules are `YAMLEmitter`'s own functions.
public enum ManifestYAML {
    public static func text(_ object: ManifestObject) -> String {
        var writer = Writer()
        writer.document(object)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    /// Any JSON object (a live object read back from a cluster) as YAML.
    public static func text(json: JSONValue) -> String {
        var writer = Writer()
        writer.document(json)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    /// A multi-document stream, written into one buffer.
    public static func stream(_ objects: [ManifestObject]) -> String {
        var writer = Writer()
        writer.bytes.reserveCapacity(objects.count * 2048)
        for object in objects {
            writer.append("---\n")
            writer.document(object)
        }
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    struct Writer {
        var bytes: [UInt8] = []

        init() { bytes.reserveCapacity(4096) }

        /// `object.json`'s text, from its head and body in turn (an object always has apiVersion, kind, metadata).
        mutating func document(_ object: ManifestObject) {
            mapping(object.head, indent: 0, padFirst: true)
            mapping(object.body, indent: 0, padFirst: true)
        }

        mutating func document(_ value: JSONValue) {
            switch value {
            case .object(let members) where !members.isEmpty: mapping(members, indent: 0, padFirst: true)
            case .array(let items) where !items.isEmpty: sequence(items, indent: 0)
            default:
                inline(value)
                bytes.append(0x0A)
            }
        }

        /// `key: value` lines; `padFirst` false when the first key follows a list item's `- `.
        mutating func mapping(_ members: [(String, JSONValue)], indent: Int, padFirst: Bool) {
            for (i, (key, value)) in members.enumerated() {
                if i > 0 || padFirst { pad(indent) }
                string(key, blockIndent: nil)  // a key is written as an inline string is
                bytes.append(UInt8(ascii: ":"))
                self.value(value, indent: indent)
            }
        }

        mutating func sequence(_ items: [JSONValue], indent: Int) {
            for item in items {
                pad(indent)
                switch item {
                case .object(let members) where !members.isEmpty:
                    // `- first: …` then the other keys aligned under it.
                    bytes.append(UInt8(ascii: "-"))
                    bytes.append(0x20)
                    mapping(members, indent: indent + 2, padFirst: false)
                case .array(let inner) where !inner.isEmpty:
                    bytes.append(UInt8(ascii: "-"))
                    bytes.append(0x0A)
                    sequence(inner, indent: indent + 2)
                default:
                    bytes.append(UInt8(ascii: "-"))
                    value(item, indent: indent)
                }
            }
        }

        /// What follows `key:` or `-`: a space and a scalar, or a newline and a nested block.
        mutating func value(_ value: JSONValue, indent: Int) {
            switch value {
            case .object(let members) where !members.isEmpty:
                bytes.append(0x0A)
                mapping(members, indent: indent + 2, padFirst: true)
            case .array(let items) where !items.isEmpty:
                bytes.append(0x0A)
                sequence(items, indent: indent + 2)
            case .string(let s):
                bytes.append(0x20)
                string(s, blockIndent: indent + 2)
            default:
                bytes.append(0x20)
                inline(value)
                bytes.append(0x0A)
            }
        }

        /// A scalar, or an empty collection, on the current line (as `YAMLEmitter.scalar`: null, booleans and
        /// numbers plain; strings plain only where a reader takes them back as the same string).
        mutating func inline(_ value: JSONValue) {
            switch value {
            case .null: append("null")
            case .bool(let b): append(b ? "true" : "false")
            case .number: 
                let text = value.jsonText
                append(YAMLEmitter.isPlainSafe(text) ? text : YAMLEmitter.quoted(text))
            case .string(let s): string(s, blockIndent: nil)
            case .array: append("[]")
            case .object: append("{}")
            }
        }

        /// A string scalar, with one look at its bytes: plain where a reader takes it back as the same string, else
        /// quoted; a multi-line value after `key:` as a `|` block (`blockIndent`), then the line's end.
        mutating func string(_ s: String, blockIndent: Int?) {
            var s = s
            let form: ScalarForm = s.withUTF8 { text in
                // A newline is never plain-safe, so only text that is not plain is looked at for one.
                if YAMLEmitter.isPlainSafe(text), !YAMLEmitter.isAmbiguous(text) {
                    bytes.append(contentsOf: text)
                    return .plain
                }
                return blockIndent != nil && text.contains(0x0A) ? .block : .quoted
            }
            switch form {
            case .block: append(YAMLEmitter.literalBlock(s, indent: blockIndent ?? 0))
            case .plain: if blockIndent != nil { bytes.append(0x0A) }
            case .quoted:
                append(YAMLEmitter.quoted(s))
                if blockIndent != nil { bytes.append(0x0A) }
            }
        }

        enum ScalarForm { case plain, quoted, block }

        mutating func pad(_ count: Int) {
            for _ in 0..<count { bytes.append(0x20) }
        }

        mutating func append(_ text: String) {
            var text = text
            text.withUTF8 { bytes.append(contentsOf: $0) }
        }
    }

    static let at = Diagnostics.SourceLocation(line: 0, column: 0)

    /// The same tree as `YAMLEmitter` input (the reference the writer is tested against).
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
