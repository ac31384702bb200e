/// The order objects are written and applied in (the rule Flux's `ssa` sort and kapp's change rules state): by release
/// wave, then by kind as `KindRules.table` orders kinds (definitions and namespaces first, then cluster-scoped policy
/// and storage, identities and their rights, config, claims, services, workloads, and last what routes to them).
/// Ties break on namespace, then name.
public enum KindOrder {
    public static func rank(of kind: String) -> Int { KindRules.rank(of: kind) }

    /// Objects in install order: by release wave, then kind, then namespace and name.
    public static func sorted(_ objects: [ManifestObject], waves: [String: Int]) -> [ManifestObject] {
        // Wave and kind rank are looked up once per object, not per comparison, and indices are sorted rather than
        // whole objects moved.
        let wave = objects.map { waves[$0.release] ?? 0 }
        let kindRank = objects.map { rank(of: $0.kind) }
        let order = objects.indices.sorted { i, j in
            if wave[i] != wave[j] { return wave[i] < wave[j] }
            // Fields read in place: copying two whole objects per comparison retained and released all their parts.
            if objects[i].release != objects[j].release { return objects[i].release < objects[j].release }
            if kindRank[i] != kindRank[j] { return kindRank[i] < kindRank[j] }
            let (na, nb) = (objects[i].namespace ?? "", objects[j].namespace ?? "")
            if na != nb { return na < nb }
            return objects[i].name < objects[j].name
        }
        return order.map { objects[$0] }
    }
}
