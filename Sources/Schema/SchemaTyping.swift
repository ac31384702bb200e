/// The one scalar-typing rule of the program: a YAML plain scalar takes the type the schema wants at its place
/// (`ScalarTyping.resolve`). The validator types each scalar as it checks it; every later stage reads the tree this
/// returns, so `txt_owner_id: 007` is the string "007" for the validator, the renderer and `--export-cr` alike.
extension JSONSchema {
    /// `root` with every untyped scalar typed by the schema node that describes it (YAML 1.2's core schema where the
    /// schema says nothing). Source locations are kept.
    public func typed(_ root: Instance) -> Instance {
        Self.typed(root, node: self.root)
    }

    private static func typed(_ instance: Instance, node: SchemaNode?) -> Instance {
        switch instance.content {
        case .untyped(let text):
            let wanted = node.flatMap(wantedTypes)
            let content: Instance.Content
            switch ScalarTyping.resolve(text, wanted: wanted).0 {
            case .null: content = .null
            case .bool(let b): content = .bool(b)
            case .number(let n): content = .number(n)
            case .string(let s): content = .string(s)
            case .array(let a): content = .array(a)
            case .object(let o): content = .object(o)
            }
            return Instance(content, at: instance.location)
        case .array(let items):
            let element = node.flatMap(SchemaNavigation.element)
            return Instance(.array(items.map { typed($0, node: element) }), at: instance.location)
        case .object(let members):
            return Instance(.object(members.map { member in
                var m = member
                m.value = typed(member.value, node: node.flatMap { SchemaNavigation.child(of: $0, key: member.key) })
                return m
            }), at: instance.location)
        default:
            return instance
        }
    }

    /// The types the schema allows at a node, from `type` or the literals of `enum`/`const`, through `$ref` and the
    /// other applicators.
    static func wantedTypes(_ node: SchemaNode) -> Set<JSONType>? {
        for fact in SchemaNavigation.applicators(node) {
            if let types = ScalarTyping.wantedTypes(fact) { return types }
        }
        return nil
    }
}
