import Schema

/// What `kiln explain KEY --config FILE` says about a value: what it is, and which layers set it.
public struct ValueProvenance: Sendable {
    public let path: KeyPath
    /// The value shown to a person (never a secret's).
    public let value: String
    /// "set by preset eks (presets/eks.yaml:41), overridden by acme.yaml:12"
    public let origin: String

    public init(_ path: KeyPath, in config: LayeredConfig, schema: JSONSchema = InstallConfigSchema.shared) {
        self.path = path
        let node = schema.node(at: path)
        let secret = SecretKeys.isSecret(path) || node.map { SchemaNavigation.applicators($0).contains { $0.writeOnly } } ?? false
        let schemaDefault = node.flatMap { SchemaNavigation.applicators($0).lazy.compactMap(\.defaultValue).first }
        let (owner, origins) = config.origins(of: path)
        if let found = config.root.value(at: path) {
            value = secret ? "(a secret value, not shown)" : Self.show(found)
            origin = Self.chain(origins, inherited: owner != path ? owner : nil)
        } else if let schemaDefault {
            value = (schemaDefault.stringValue ?? schemaDefault.jsonText) + " (default)"
            origin = origins.last?.removed == true ? Self.chain(origins, inherited: nil) + "; kiln's default applies"
                : "kiln's default (the schema's `default`)"
        } else {
            value = "(not set)"
            origin = origins.isEmpty ? "not set by any layer" : Self.chain(origins, inherited: nil)
        }
    }

    static func show(_ i: Instance) -> String {
        switch i.content {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let n): return JSONValue.number(n).jsonText
        case .string(let s), .untyped(let s): return s.contains("\n") ? "(\(s.split(separator: "\n").count) lines of text)" : s
        case .array(let items): return "a list of \(items.count) item\(items.count == 1 ? "" : "s")"
        case .object(let members): return "a mapping of \(members.count) key\(members.count == 1 ? "" : "s")"
        }
    }

    /// "set by A, overridden by B, removed by C".
    static func chain(_ origins: [ValueOrigin], inherited: KeyPath?) -> String {
        var parts: [String] = []
        for (i, o) in origins.enumerated() {
            let verb = o.removed ? "removed by" : i == 0 ? "set by" : "overridden by"
            parts.append("\(verb) \(o)")
        }
        let text = parts.joined(separator: ", ")
        guard let inherited, !inherited.components.isEmpty else { return text }
        return text + " (as part of `\(inherited)`)"
    }
}
