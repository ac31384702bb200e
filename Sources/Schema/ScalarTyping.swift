/// A value with its JSON type decided.
enum TypedValue {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([Instance])
    case object([Member])

    var isScalar: Bool {
        switch self {
        case .array, .object: return false
        default: return true
        }
    }

    /// As JSON (for enum, const and uniqueItems comparisons). Nested untyped scalars follow YAML 1.2's core schema.
    var json: JSONValue {
        switch self {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .number(let n): return .number(n)
        case .string(let s): return .string(s)
        case .array(let items): return .array(items.map { ScalarTyping.typed($0, for: nil).0.json })
        case .object(let members): return .object(members.map { ($0.key, ScalarTyping.typed($0.value, for: nil).0.json) })
        }
    }
}

/// Decides what a YAML plain scalar is, given the schema reading it.
///
/// Quoted scalars are strings, always. A plain scalar becomes the first of these that the schema's `type` allows:
/// null (`~`, `null`, empty), boolean (`true`/`false`; YAML 1.1's `yes`/`no`/`on`/`off`/`y`/`n` with a warning),
/// integer or number, string. With no `type` to go by (the type is then implied by `enum`/`const`, or, failing
/// that, YAML 1.2's core schema decides).
enum ScalarTyping {
    static let legacyTrue: Set<String> = ["y", "Y", "yes", "Yes", "YES", "on", "On", "ON"]
    static let legacyFalse: Set<String> = ["n", "N", "no", "No", "NO", "off", "Off", "OFF"]

    static func canonicalBoolean(_ legacy: String) -> String {
        legacyTrue.contains(legacy) ? "true" : "false"
    }

    /// The typed value, and the YAML 1.1 boolean form it was read from, if that is how it was read.
    static func typed(_ inst: Instance, for node: SchemaNode?) -> (TypedValue, String?) {
        switch inst.content {
        case .null: return (.null, nil)
        case .bool(let b): return (.bool(b), nil)
        case .number(let n): return (.number(n), nil)
        case .string(let s): return (.string(s), nil)
        case .array(let a): return (.array(a), nil)
        case .object(let o): return (.object(o), nil)
        case .untyped(let text): return resolve(text, wanted: node.flatMap(wantedTypes))
        }
    }

    static func wantedTypes(_ node: SchemaNode) -> Set<JSONType>? {
        if let types = node.types { return Set(types) }
        let literals = node.enumValues ?? node.constValue.map { [$0] }
        guard let literals else { return nil }
        return Set(literals.map { v -> JSONType in
            switch v {
            case .null: return .null
            case .bool: return .boolean
            case .number: return .number
            case .string: return .string
            case .array: return .array
            case .object: return .object
            }
        })
    }

    static func resolve(_ text: String, wanted: Set<JSONType>?) -> (TypedValue, String?) {
        let isNull = ["", "~", "null", "Null", "NULL"].contains(text)
        let canonicalBool: Bool? = ["true", "True", "TRUE"].contains(text) ? true
            : ["false", "False", "FALSE"].contains(text) ? false : nil
        let number = parseNumber(text)
        guard let wanted else {
            if isNull { return (.null, nil) }
            if let b = canonicalBool { return (.bool(b), nil) }
            if let n = number { return (.number(n), nil) }
            return (.string(text), nil)
        }
        if isNull, wanted.contains(.null) { return (.null, nil) }
        if wanted.contains(.boolean) {
            if let b = canonicalBool { return (.bool(b), nil) }
            if !wanted.contains(.string) {
                if legacyTrue.contains(text) { return (.bool(true), text) }
                if legacyFalse.contains(text) { return (.bool(false), text) }
            }
        }
        if let n = number, wanted.contains(.number) || (wanted.contains(.integer) && n.rounded() == n) {
            return (.number(n), nil)
        }
        if wanted.contains(.string), !isNull { return (.string(text), nil) }
        // Nothing the schema wants: take YAML 1.2's reading, so the error names what was written.
        return resolve(text, wanted: nil)
    }

    /// YAML 1.2 core schema numbers: decimal, 0o octal, 0x hex, floats, .inf, .nan.
    static func parseNumber(_ text: String) -> Double? {
        guard let first = text.first, first.isNumber || "+-.".contains(first) else { return nil }
        switch text {
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .infinity
        case "-.inf", "-.Inf", "-.INF": return -.infinity
        case ".nan", ".NaN", ".NAN": return .nan
        default: break
        }
        if text.hasPrefix("0o"), let v = Int(text.dropFirst(2), radix: 8) { return Double(v) }
        if text.hasPrefix("0x"), let v = Int(text.dropFirst(2), radix: 16) { return Double(v) }
        let allowed = Set("0123456789+-.eE")
        guard text.allSatisfy(allowed.contains), text.contains(where: \.isNumber) else { return nil }
        return Double(text)
    }

    static func matches(_ value: TypedValue, _ type: JSONType) -> Bool {
        switch (value, type) {
        case (.null, .null), (.bool, .boolean), (.string, .string), (.array, .array), (.object, .object): return true
        case (.number, .number): return true
        case (.number(let n), .integer): return n.isFinite && n.rounded() == n
        default: return false
        }
    }

    static func typeNameOf(_ value: TypedValue) -> String {
        switch value {
        case .null: return "null"
        case .bool: return "the boolean"
        case .number: return "the number"
        case .string: return "the string"
        case .array: return "a list"
        case .object: return "a mapping"
        }
    }
}
