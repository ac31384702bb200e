import Diagnostics

/// What the validator checks: a JSON-like tree whose nodes may carry source positions.
///
/// `untyped` is a YAML plain scalar: text whose type is decided by the schema that reads it. Where the schema wants
/// a string, `no` is the string "no"; where it wants a boolean, `true`/`false` are accepted and YAML 1.1's
/// `yes`/`on`/… are accepted with a warning naming the canonical form.
public struct Instance: Sendable {
    public enum Content: Sendable {
        case null
        case bool(Bool)
        case number(Double)
        case string(String)
        case untyped(String)
        case array([Instance])
        case object([Member])
    }

    public var content: Content
    public var location: SourceLocation?

    public init(_ content: Content, at location: SourceLocation? = nil) {
        self.content = content
        self.location = location
    }

    /// A typed instance from JSON (the JSON-Schema-Test-Suite's instances).
    public init(json: JSONValue) {
        switch json {
        case .null: content = .null
        case .bool(let b): content = .bool(b)
        case .number(let n): content = .number(n)
        case .string(let s): content = .string(s)
        case .array(let a): content = .array(a.map(Instance.init(json:)))
        case .object(let o): content = .object(o.map { Member(key: $0.0, value: Instance(json: $0.1)) })
        }
        location = nil
    }

    public var members: [Member]? {
        if case .object(let m) = content { return m }
        return nil
    }

    public var elements: [Instance]? {
        if case .array(let a) = content { return a }
        return nil
    }

    /// The member named `key` of an object.
    public subscript(key: String) -> Instance? {
        members?.first { $0.key == key }?.value
    }

    /// The text of a string or an untyped scalar.
    public var text: String? {
        switch content {
        case .string(let s), .untyped(let s): return s
        default: return nil
        }
    }
}

/// One `key: value` of an object, with where the key was written (unknown-key errors point at the key).
public struct Member: Sendable {
    public var key: String
    public var keyLocation: SourceLocation?
    public var value: Instance

    public init(key: String, keyLocation: SourceLocation? = nil, value: Instance) {
        self.key = key
        self.keyLocation = keyLocation
        self.value = value
    }
}

extension Instance {
    /// The value at `path` (keys and list indices), if the tree has one.
    public func value(at path: KeyPath) -> Instance? {
        var node: Instance? = self
        for component in path.components {
            switch component {
            case .key(let key): node = node?[key]
            case .index(let i): node = node?.elements.flatMap { $0.indices.contains(i) ? $0[i] : nil }
            }
        }
        return node
    }
}

extension Instance {
    /// The tree with `value` at `path`: mappings and list items on the way are created as needed; nil removes the key.
    public func setting(_ value: Instance?, at path: KeyPath) -> Instance {
        Self.setting(value, at: path.components[...], in: self)
    }

    private static func setting(_ value: Instance?, at path: ArraySlice<KeyPath.Component>, in node: Instance) -> Instance {
        guard let first = path.first else { return value ?? node }
        let rest = path.dropFirst()
        switch first {
        case .key(let key):
            var members = node.members ?? []
            if let i = members.firstIndex(where: { $0.key == key }) {
                if rest.isEmpty, value == nil {
                    members.remove(at: i)
                } else {
                    members[i].value = setting(value, at: rest, in: members[i].value)
                }
            } else if value != nil {
                members.append(Member(key: key, value: setting(value, at: rest, in: Instance(.object([])))))
            }
            return Instance(.object(members), at: node.location)
        case .index(let i):
            var items = node.elements ?? []
            while items.count <= i { items.append(Instance(.object([]))) }
            items[i] = setting(value, at: rest, in: items[i])
            return Instance(.array(items), at: node.location)
        }
    }
}

extension Instance {
    /// A scalar as text, whatever its type (`true`, `3`, `abc`): how the renderer writes values into manifests.
    public var scalarText: String? {
        switch content {
        case .string(let s), .untyped(let s): return s
        case .bool(let b): return b ? "true" : "false"
        case .number(let n): return JSONValue.number(n).jsonText
        default: return nil
        }
    }
}
