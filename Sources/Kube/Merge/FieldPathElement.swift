import Schema

/// One step of a field path, as FieldsV1 spells it: a map field `f:name`, a keyed list entry
/// `k:{"containerPort":80,"protocol":"TCP"}`, a set entry `v:"finalizer"`, or a list index `i:0`.
public enum FieldPathElement: Sendable, Equatable {
    case field(String)
    case key([(String, JSONValue)])
    case value(JSONValue)
    case index(Int)

    public static func == (a: FieldPathElement, b: FieldPathElement) -> Bool { a.text == b.text }

    /// The FieldsV1 spelling: key fields sorted and compact JSON, as structured-merge-diff writes them.
    public var text: String {
        switch self {
        case .field(let name): return "f:" + name
        case .key(let fields): return "k:" + Self.canonical(.object(fields))
        case .value(let value): return "v:" + Self.canonical(value)
        case .index(let index): return "i:\(index)"
        }
    }

    /// Reads a FieldsV1 key; nil for one this model does not know.
    public init?(text: String) {
        let body = String(text.dropFirst(2))
        switch text.prefix(2) {
        case "f:": self = .field(body)
        case "k:":
            guard let fields = (try? JSONReader.parse(body))?.objectValue else { return nil }
            self = .key(fields)
        case "v:":
            guard let value = try? JSONReader.parse(body) else { return nil }
            self = .value(value)
        case "i:":
            guard let index = Int(body) else { return nil }
            self = .index(index)
        default: return nil
        }
    }

    /// The element naming `entry` in a list of this type.
    static func entry(_ entry: JSONValue, in type: ListType, at index: Int) -> FieldPathElement {
        switch type {
        case .map(let keys):
            return .key(keys.compactMap { key in
                entry[key].map { (key, $0) } ?? ListTypes.keyDefaults[key].map { (key, .string($0)) }
            })
        case .set: return .value(entry)
        case .atomic: return .index(index)
        }
    }

    /// Whether list entry `entry` (at `index`) is the one this element names.
    func names(_ entry: JSONValue, at index: Int) -> Bool {
        switch self {
        case .field: return false
        case .key(let fields):
            return fields.allSatisfy { key, value in
                (entry[key] ?? ListTypes.keyDefaults[key].map { .string($0) }) == value
            }
        case .value(let value): return entry == value
        case .index(let i): return i == index
        }
    }

    /// How the API server shows the element in messages: `.image`, `[name="app"]`, `[="x"]`, `[0]`.
    public var description: String {
        switch self {
        case .field(let name): return "." + name
        case .key(let fields):
            return "[" + fields.sorted { $0.0 < $1.0 }.map { "\($0.0)=\(Self.canonical($0.1))" }.joined(separator: ",") + "]"
        case .value(let value): return "[=" + Self.canonical(value) + "]"
        case .index(let index): return "[\(index)]"
        }
    }

    /// Compact JSON with object keys sorted: the form in which two equal keys are the same text.
    static func canonical(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let n): return n.rounded() == n && abs(n) < 1e15 ? String(Int64(n)) : String(n)
        case .string(let s): return JSONValue.quote(s)
        case .array(let items): return "[" + items.map(canonical).joined(separator: ",") + "]"
        case .object(let members):
            return "{" + members.sorted { $0.0 < $1.0 }.map { JSONValue.quote($0.0) + ":" + canonical($0.1) }.joined(separator: ",") + "}"
        }
    }
}

extension Array where Element == FieldPathElement {
    /// The path as the API server writes it in conflict and validation messages:
    /// `.spec.template.spec.containers[name="app"].image`.
    public var pathDescription: String { map(\.description).joined() }
}
