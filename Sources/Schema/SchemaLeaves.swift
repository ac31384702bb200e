/// The leaves of a schema: every key path an instance can hold a value at that is not itself a section with named
/// keys. A free-form map (`global_pod_labels`) and a list of scalars (`ingress_controller.allowed_cidrs`) are leaves; a
/// list of objects is walked through its items (`helm.image_registries[].server`).
///
/// The coverage test, the typed-accessor test and `kiln explain` walk the same list.
public struct SchemaLeaf: Sendable {
    /// With `[]` for "any list index" (`KeyPath.Component.index(-1)`).
    public let path: KeyPath
    public let node: SchemaNode

    /// What kind of value sits here, as the validator sees it.
    public enum Shape: String, Sendable { case boolean, integer, number, string, map, list }
    public let shape: Shape
}

extension JSONSchema {
    /// Every leaf, in the schema's declaration order (properties of all applicable subschemas, first declaration
    /// wins).
    public var leaves: [SchemaLeaf] {
        var out: [SchemaLeaf] = []
        var seen = Set<KeyPath>()
        func walk(_ node: SchemaNode, _ path: KeyPath, depth: Int) {
            guard depth < 16 else { return }
            let facts = SchemaNavigation.applicators(node)
            var properties: [(String, SchemaNode)] = []
            var named = Set<String>()
            for fact in facts {
                for (key, child) in fact.properties where named.insert(key).inserted { properties.append((key, child)) }
            }
            let types = Set(facts.compactMap(\.types).flatMap { $0 })
            if !properties.isEmpty {
                for (key, child) in properties { walk(child, path.appending(key), depth: depth + 1) }
                return
            }
            if types.contains(.array), let items = SchemaNavigation.element(of: node) {
                let itemFacts = SchemaNavigation.applicators(items)
                if itemFacts.contains(where: { !$0.properties.isEmpty }) {
                    walk(items, KeyPath(path.components + [.index(-1)]), depth: depth + 1)
                    return
                }
                add(path, node, .list)
                return
            }
            let shape: SchemaLeaf.Shape
            if types.contains(.object) { shape = .map }
            else if types.contains(.boolean) { shape = .boolean }
            else if types.contains(.integer) { shape = .integer }
            else if types.contains(.number) { shape = .number }
            else { shape = .string }
            add(path, node, shape)
        }
        func add(_ path: KeyPath, _ node: SchemaNode, _ shape: SchemaLeaf.Shape) {
            guard !path.components.isEmpty, seen.insert(path).inserted else { return }
            out.append(SchemaLeaf(path: path, node: node, shape: shape))
        }
        walk(root, .root, depth: 0)
        return out
    }
}

extension KeyPath {
    /// The pattern form, with `[]` for every index (`helm.image_registries[0].server` → `helm.image_registries[].server`).
    public var pattern: KeyPath {
        KeyPath(components.map { if case .index = $0 { return .index(-1) } else { return $0 } })
    }

    /// The written form of a pattern: `[]` for any index.
    public var patternDescription: String {
        description.replacingOccurrences(of: "[-1]", with: "[]")
    }
}
