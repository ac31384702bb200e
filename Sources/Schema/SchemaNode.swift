import Foundation

/// The JSON types a schema's `type` keyword names.
public enum JSONType: String, Sendable, CaseIterable {
    case null, boolean, integer, number, string, array, object
}

/// One compiled (sub)schema. Built once per schema file, then only read; regular expressions are compiled up front.
public final class SchemaNode: @unchecked Sendable {
    /// `true` / `false` schemas.
    public internal(set) var alwaysValid: Bool?
    public internal(set) var types: [JSONType]?
    public internal(set) var enumValues: [JSONValue]?
    public internal(set) var constValue: JSONValue?
    public internal(set) var pattern: Pattern?
    public internal(set) var format: String?
    var minimum: Double?, maximum: Double?, exclusiveMinimum: Double?, exclusiveMaximum: Double?, multipleOf: Double?
    var minLength: Int?, maxLength: Int?, minItems: Int?, maxItems: Int?
    var minProperties: Int?, maxProperties: Int?, minContains: Int?, maxContains: Int?
    public internal(set) var required: [String] = []
    public internal(set) var properties: [(String, SchemaNode)] = []
    var propertyIndex: [String: SchemaNode] = [:]
    public internal(set) var patternProperties: [(Pattern, SchemaNode)] = []
    public internal(set) var additionalProperties: SchemaNode?
    var propertyNames: SchemaNode?
    public internal(set) var items: SchemaNode?
    var prefixItems: [SchemaNode] = []
    var contains: SchemaNode?
    var uniqueItems = false
    public internal(set) var allOf: [SchemaNode] = []
    public internal(set) var anyOf: [SchemaNode] = []
    public internal(set) var oneOf: [SchemaNode] = []
    var not: SchemaNode?
    var ifSchema: SchemaNode?, thenSchema: SchemaNode?, elseSchema: SchemaNode?
    var dependentRequired: [(String, [String])] = []
    var dependentSchemas: [(String, SchemaNode)] = []
    /// `$ref`, resolved after the whole document is compiled.
    var refURI: String?
    public internal(set) var ref: SchemaNode?

    // Annotations, read by `explain`, defaults and secret masking.
    public internal(set) var title: String?
    public internal(set) var description: String?
    public internal(set) var defaultValue: JSONValue?
    public internal(set) var examples: [JSONValue] = []
    /// `writeOnly: true` marks a secret: its value is never echoed in a message or source snippet.
    public internal(set) var writeOnly = false
    public internal(set) var deprecated = false
    /// Keywords starting `x-` (kiln's own annotations, e.g. `x-kiln-reference`).
    public internal(set) var extensions: [String: JSONValue] = [:]
    /// Where in the schema file this node sits (JSON pointer), for messages about the schema itself.
    public let pointer: String

    init(pointer: String) {
        self.pointer = pointer
    }

    public func property(_ name: String) -> SchemaNode? { propertyIndex[name] }

    public var allowedKeys: [String] { properties.map(\.0) }
}

/// A compiled regular expression with its source text. JSON Schema patterns are ECMA-262 and unanchored.
///
/// Patterns in the plain subset `SimplePattern` takes are matched by it, for subjects it takes; everything else goes
/// to `NSRegularExpression` (ICU), as before. A pattern outside that subset is compiled by ICU at once, so an invalid
/// one still fails when the schema compiles; for one inside it ICU is only compiled if a subject ever needs it.
public struct Pattern: @unchecked Sendable {
    public let source: String
    private let simple: SimplePattern?
    private let icu: ICURegex

    init(_ source: String) throws {
        self.source = source
        simple = SimplePattern(source)
        icu = ICURegex(source)
        if simple == nil { _ = try icu.compiled() }
    }

    public func matches(_ s: String) -> Bool {
        if let simple, let answer = simple.matches(s) { return answer }
        // A pattern that SimplePattern parsed is one ICU compiles too.
        return (try? icu.matches(s)) ?? false
    }
}

/// `NSRegularExpression` for one pattern, compiled on first use; shared by the copies of its `Pattern`. Matches are
/// made under the lock too: on Linux one `NSRegularExpression` holds one ICU matcher, and concurrent matches on it
/// (validations in parallel tasks) corrupted each other's results.
final class ICURegex: @unchecked Sendable {
    private let source: String
    private let lock = NSLock()
    private var regex: NSRegularExpression?

    init(_ source: String) { self.source = source }

    func matches(_ s: String) throws -> Bool {
        lock.lock()
        defer { lock.unlock() }
        let regex = try compiledLocked()
        return regex.firstMatch(in: s, options: [], range: NSRange(s.startIndex..<s.endIndex, in: s)) != nil
    }

    func compiled() throws -> NSRegularExpression {
        lock.lock()
        defer { lock.unlock() }
        return try compiledLocked()
    }

    private func compiledLocked() throws -> NSRegularExpression {
        if let regex { return regex }
        // ECMA-262's \d, \w and \s are ASCII-only for \d and \w; ICU's are Unicode-wide unless asked.
        let made = try NSRegularExpression(pattern: source, options: [])
        regex = made
        return made
    }
}
