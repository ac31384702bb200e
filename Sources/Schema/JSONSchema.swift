import Foundation

/// A JSON Schema (draft 2020-12), compiled for validation.
///
/// Supported: type, enum, const, pattern, format, minimum, maximum, exclusiveMinimum, exclusiveMaximum, multipleOf,
/// minLength, maxLength, minItems, maxItems, uniqueItems, items, prefixItems, contains, minContains, maxContains,
/// required, properties, patternProperties, additionalProperties, propertyNames, minProperties, maxProperties,
/// dependentRequired, dependentSchemas, allOf, anyOf, oneOf, not, if/then/else, $ref, $defs, $id, $anchor; annotations
/// title, description, default, examples, deprecated, writeOnly and `x-…` extensions.
/// Not supported (compiling a schema that uses them fails): $dynamicRef, $dynamicAnchor, $recursiveRef,
/// unevaluatedProperties, unevaluatedItems, $vocabulary; references to other documents.
public final class JSONSchema: @unchecked Sendable {
    public struct CompileError: Error, CustomStringConvertible {
        public let pointer: String
        public let message: String
        public var description: String { "schema error at \(pointer.isEmpty ? "#" : pointer): \(message)" }
    }

    public static let unsupportedKeywords: Set<String> = [
        "$dynamicRef", "$dynamicAnchor", "$recursiveRef", "$recursiveAnchor",
        "unevaluatedProperties", "unevaluatedItems", "$vocabulary",
    ]

    public let root: SchemaNode
    public let document: JSONValue

    public convenience init(text: String) throws {
        let json: JSONValue
        do { json = try JSONReader.parse(text) } catch let e as JSONReader.Failure {
            throw CompileError(pointer: "", message: e.description)
        }
        try self.init(json)
    }

    public init(_ document: JSONValue) throws {
        self.document = document
        var compiler = SchemaCompiler()
        let base = document["$id"]?.stringValue.map { URIReference.stripFragment($0) } ?? "kiln:root"
        root = try compiler.compile(document, base: base, pointer: "", resourcePointer: "")
        try compiler.resolveReferences()
    }

    /// The subschema that describes `path` (following properties, patternProperties, additionalProperties,
    /// items and $ref), or nil where the schema says nothing about it. The node is returned as declared (its
    /// description and default are there); `SchemaNavigation.applicators` reaches what its $ref adds.
    public func node(at path: KeyPath) -> SchemaNode? {
        var node: SchemaNode? = root
        for component in path.components {
            guard let current = node else { return nil }
            switch component {
            case .key(let key): node = SchemaNavigation.child(of: current, key: key)
            case .index: node = SchemaNavigation.element(of: current)
            }
        }
        return node
    }

    /// The default the schema declares at a dotted path of keys (`istio.enabled`), nil where it declares none.
    /// Remembered per path: a render asks for the same few hundred keys' defaults thousands of times.
    public func defaultValue(atDottedPath path: String) -> JSONValue? {
        defaultsLock.lock()
        let known = defaults[path]
        defaultsLock.unlock()
        if let known { return known }
        let found = node(at: KeyPath(path.split(separator: ".").map { .key(String($0)) }))?.defaultValue
        defaultsLock.lock()
        defaults[path] = .some(found)
        defaultsLock.unlock()
        return found
    }

    private let defaultsLock = NSLock()
    private var defaults: [String: JSONValue?] = [:]
}

/// Walking a compiled schema the way an instance would be validated against it.
public enum SchemaNavigation {
    public static func followRefs(_ node: SchemaNode) -> SchemaNode {
        var n = node
        var hops = 0
        while let target = n.ref, n.properties.isEmpty, n.types == nil, hops < 32 {
            n = target
            hops += 1
        }
        return n
    }

    /// Every subschema that applies to the same instance as `node`: itself, its $ref and its allOf/anyOf/oneOf/
    /// then/else branches, depth first.
    public static func applicators(_ node: SchemaNode) -> [SchemaNode] {
        var out: [SchemaNode] = []
        var seen = Set<ObjectIdentifier>()
        func visit(_ n: SchemaNode) {
            guard seen.insert(ObjectIdentifier(n)).inserted else { return }
            out.append(n)
            if let r = n.ref { visit(r) }
            (n.allOf + n.anyOf + n.oneOf).forEach(visit)
            [n.thenSchema, n.elseSchema].compactMap { $0 }.forEach(visit)
        }
        visit(node)
        return out
    }

    public static func child(of node: SchemaNode, key: String) -> SchemaNode? {
        for n in applicators(node) {
            if let p = n.property(key) { return p }
        }
        for n in applicators(node) {
            if let p = n.patternProperties.first(where: { $0.0.matches(key) }) { return p.1 }
        }
        for n in applicators(node) {
            if let a = n.additionalProperties, a.alwaysValid != false { return a }
        }
        return nil
    }

    public static func element(of node: SchemaNode) -> SchemaNode? {
        applicators(node).lazy.compactMap(\.items).first
    }
}

/// Compiles JSON into `SchemaNode`s, registering every subschema under its canonical URI so `$ref`s resolve.
struct SchemaCompiler {
    /// canonical URI ("base#/json/pointer" or "base#anchor") → node
    private var registry: [String: SchemaNode] = [:]
    /// resource URI → its JSON, for references into places that are not subschemas of their own.
    private var resources: [String: JSONValue] = [:]
    private var pending: [(SchemaNode, base: String)] = []

    mutating func compile(_ json: JSONValue, base: String, pointer: String, resourcePointer: String) throws -> SchemaNode {
        let node = SchemaNode(pointer: pointer)
        var base = base
        var resourcePointer = resourcePointer
        if case .bool(let b) = json {
            node.alwaysValid = b
            registry[base + "#" + resourcePointer] = node
            return node
        }
        guard case .object(let members) = json else {
            throw JSONSchema.CompileError(pointer: pointer, message: "a schema must be an object or a boolean")
        }
        if let id = json["$id"]?.stringValue {
            base = URIReference.stripFragment(URIReference.resolve(id, against: base))
            resourcePointer = ""
            resources[base] = json
        } else if resources[base] == nil {
            resources[base] = json
        }
        registry[base + "#" + resourcePointer] = node
        if let anchor = json["$anchor"]?.stringValue { registry[base + "#" + anchor] = node }

        func sub(_ j: JSONValue, _ suffix: String) throws -> SchemaNode {
            try compile(j, base: base, pointer: pointer + "/" + suffix, resourcePointer: resourcePointer + "/" + suffix)
        }
        func escaped(_ key: String) -> String {
            // Most keys have neither character; Foundation's replacingOccurrences costs more than the rest of the
            // compile step.
            guard key.utf8.contains(where: { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "/") }) else { return key }
            var out = ""
            for c in key.unicodeScalars {
                switch c {
                case "~": out += "~0"
                case "/": out += "~1"
                default: out.unicodeScalars.append(c)
                }
            }
            return out
        }
        func int(_ v: JSONValue) -> Int? { v.numberValue.map { Int($0) } }

        for (keyword, value) in members {
            switch keyword {
            case "type":
                let names = value.arrayValue?.compactMap(\.stringValue) ?? value.stringValue.map { [$0] } ?? []
                node.types = try names.map {
                    guard let t = JSONType(rawValue: $0) else {
                        throw JSONSchema.CompileError(pointer: pointer, message: "unknown type \($0)")
                    }
                    return t
                }
            case "enum": node.enumValues = value.arrayValue
            case "const": node.constValue = value
            case "pattern":
                guard let s = value.stringValue else { continue }
                do { node.pattern = try Pattern(s) } catch {
                    throw JSONSchema.CompileError(pointer: pointer, message: "invalid pattern \(s)")
                }
            case "format": node.format = value.stringValue
            case "minimum": node.minimum = value.numberValue
            case "maximum": node.maximum = value.numberValue
            case "exclusiveMinimum": node.exclusiveMinimum = value.numberValue
            case "exclusiveMaximum": node.exclusiveMaximum = value.numberValue
            case "multipleOf": node.multipleOf = value.numberValue
            case "minLength": node.minLength = int(value)
            case "maxLength": node.maxLength = int(value)
            case "minItems": node.minItems = int(value)
            case "maxItems": node.maxItems = int(value)
            case "minProperties": node.minProperties = int(value)
            case "maxProperties": node.maxProperties = int(value)
            case "minContains": node.minContains = int(value)
            case "maxContains": node.maxContains = int(value)
            case "uniqueItems": node.uniqueItems = value.boolValue ?? false
            case "required": node.required = value.arrayValue?.compactMap(\.stringValue) ?? []
            case "properties":
                for (name, schema) in value.objectValue ?? [] {
                    let child = try sub(schema, "properties/" + escaped(name))
                    node.properties.append((name, child))
                    node.propertyIndex[name] = child
                }
            case "patternProperties":
                for (source, schema) in value.objectValue ?? [] {
                    guard let p = try? Pattern(source) else {
                        throw JSONSchema.CompileError(pointer: pointer, message: "invalid pattern \(source)")
                    }
                    node.patternProperties.append((p, try sub(schema, "patternProperties/" + escaped(source))))
                }
            case "additionalProperties": node.additionalProperties = try sub(value, "additionalProperties")
            case "propertyNames": node.propertyNames = try sub(value, "propertyNames")
            case "items": node.items = try sub(value, "items")
            case "prefixItems":
                node.prefixItems = try (value.arrayValue ?? []).enumerated().map { try sub($1, "prefixItems/\($0)") }
            case "contains": node.contains = try sub(value, "contains")
            case "allOf": node.allOf = try (value.arrayValue ?? []).enumerated().map { try sub($1, "allOf/\($0)") }
            case "anyOf": node.anyOf = try (value.arrayValue ?? []).enumerated().map { try sub($1, "anyOf/\($0)") }
            case "oneOf": node.oneOf = try (value.arrayValue ?? []).enumerated().map { try sub($1, "oneOf/\($0)") }
            case "not": node.not = try sub(value, "not")
            case "if": node.ifSchema = try sub(value, "if")
            case "then": node.thenSchema = try sub(value, "then")
            case "else": node.elseSchema = try sub(value, "else")
            case "dependentRequired":
                node.dependentRequired = (value.objectValue ?? []).map { ($0.0, $0.1.arrayValue?.compactMap(\.stringValue) ?? []) }
            case "dependentSchemas":
                node.dependentSchemas = try (value.objectValue ?? []).map { ($0.0, try sub($0.1, "dependentSchemas/" + escaped($0.0))) }
            case "$defs", "definitions":
                for (name, schema) in value.objectValue ?? [] {
                    _ = try sub(schema, keyword + "/" + escaped(name))
                }
            case "$ref":
                node.refURI = value.stringValue.map { URIReference.resolve($0, against: base) }
                pending.append((node, base))
            case "title": node.title = value.stringValue
            case "description": node.description = value.stringValue
            case "default": node.defaultValue = value
            case "examples": node.examples = value.arrayValue ?? []
            case "writeOnly": node.writeOnly = value.boolValue ?? false
            case "deprecated": node.deprecated = value.boolValue ?? false
            case _ where JSONSchema.unsupportedKeywords.contains(keyword):
                throw JSONSchema.CompileError(pointer: pointer, message: "keyword \(keyword) is not supported")
            case _ where keyword.hasPrefix("x-"): node.extensions[keyword] = value
            default: break // other annotations ($schema, $comment, readOnly, content*) do not validate
            }
        }
        return node
    }

    mutating func resolveReferences() throws {
        var index = 0
        while index < pending.count {
            let (node, _) = pending[index]
            index += 1
            guard let uri = node.refURI else { continue }
            node.ref = try lookup(uri, from: node.pointer)
        }
    }

    private mutating func lookup(_ uri: String, from pointer: String) throws -> SchemaNode {
        let full = uri.contains("#") ? uri : uri + "#"
        if let hit = registry[full] { return hit }
        // A JSON pointer into a resource where no subschema was registered: compile that spot on demand.
        let parts = full.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
        let resource = String(parts[0])
        let fragment = parts.count > 1 ? String(parts[1]) : ""
        guard let document = resources[resource], fragment.isEmpty || fragment.hasPrefix("/") else {
            throw JSONSchema.CompileError(pointer: pointer, message: "unresolvable $ref \(uri)")
        }
        var target = document
        for token in fragment.split(separator: "/").map({ URIReference.unescapePointerToken(String($0)) }) {
            if let child = target[token] {
                target = child
            } else if let array = target.arrayValue, let i = Int(token), array.indices.contains(i) {
                target = array[i]
            } else {
                throw JSONSchema.CompileError(pointer: pointer, message: "unresolvable $ref \(uri)")
            }
        }
        let node = try compile(target, base: resource, pointer: fragment, resourcePointer: fragment)
        try resolveReferences()
        return node
    }
}
