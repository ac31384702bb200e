import Diagnostics

/// A YAML node with the position it starts at. Scalars stay text: their type is decided later by the schema
/// that reads them (so `name: no` is the string "no"), not by YAML 1.1 guessing.
public struct Node: Sendable {
    public enum Content: Sendable {
        case scalar(Scalar)
        case sequence([Node])
        case mapping([Pair])
    }

    public var content: Content
    public var location: SourceLocation
    /// The explicit tag, if any, in long form (`tag:yaml.org,2002:str`).
    public var tag: String?
    /// Number of nodes in this subtree; aliases count the nodes they stand for (the alias budget uses it).
    public var size: Int

    public init(_ content: Content, at location: SourceLocation, tag: String? = nil) {
        self.content = content
        self.location = location
        self.tag = tag
        switch content {
        case .scalar: size = 1
        case .sequence(let items): size = 1 + items.reduce(0) { $0 + $1.size }
        case .mapping(let pairs): size = 1 + pairs.reduce(0) { $0 + $1.key.size + $1.value.size }
        }
    }

    public var scalar: Scalar? {
        if case .scalar(let s) = content { return s }
        return nil
    }

    public var pairs: [Pair]? {
        if case .mapping(let p) = content { return p }
        return nil
    }

    public var items: [Node]? {
        if case .sequence(let i) = content { return i }
        return nil
    }

    /// The value under `key` in a mapping.
    public subscript(key: String) -> Node? {
        pairs?.first { $0.key.scalar?.text == key }?.value
    }
}

/// One `key: value` entry of a mapping. Keys are scalars (the parser refuses others).
public struct Pair: Sendable {
    public var key: Node
    public var value: Node

    public init(key: Node, value: Node) {
        self.key = key
        self.value = value
    }

    public var name: String { key.scalar?.text ?? "" }
}

public struct Scalar: Sendable, Equatable {
    public enum Style: String, Sendable {
        case plain, singleQuoted, doubleQuoted, literal, folded
    }

    public var text: String
    public var style: Style

    public init(_ text: String, style: Style = .plain) {
        self.text = text
        self.style = style
    }

    /// A plain scalar is untyped until a schema reads it; quoted and block scalars are always strings.
    public var isPlain: Bool { style == .plain }

    /// `~`, `null`, `Null`, `NULL` or nothing at all, written plain.
    public var isNull: Bool {
        isPlain && ["", "~", "null", "Null", "NULL"].contains(text)
    }
}
