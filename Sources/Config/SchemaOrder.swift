import Schema

/// Puts a config's keys in the order the schema lists them (the order of the reference docs), so a generated
/// file reads like the documentation. Keys the schema does not list (free-form maps) keep their order.
enum SchemaOrder {
    static func sorted(_ instance: Instance, _ node: SchemaNode?) -> Instance {
        switch instance.content {
        case .object(let members):
            let facts = node.map(SchemaNavigation.applicators) ?? []
            let order = facts.flatMap(\.allowedKeys)
            let rank = Dictionary(order.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
            let sortedMembers = members.enumerated().sorted { a, b in
                (rank[a.element.key] ?? Int.max, a.offset) < (rank[b.element.key] ?? Int.max, b.offset)
            }.map { _, m in
                Member(key: m.key, keyLocation: m.keyLocation,
                       value: sorted(m.value, node.flatMap { SchemaNavigation.child(of: $0, key: m.key) }))
            }
            return Instance(.object(sortedMembers), at: instance.location)
        case .array(let items):
            let element = node.flatMap(SchemaNavigation.element(of:))
            return Instance(.array(items.map { sorted($0, element) }), at: instance.location)
        default:
            return instance
        }
    }
}
