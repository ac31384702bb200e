/// The order objects are written and applied in (the rule Flux's `ssa` sort and kapp's change rules state): by release
/// wave, then by kind as `KindRules.table` orders kinds (definitions and namespaces first, then cluster-scoped policy
/// and storage, identities and their rights, config, claims, services, workloads, and last what routes to them).
/// Ties break on namespace, then name.
public enum KindOrder {
    public static func rank(of kind: String) -> Int { KindRules.rank(of: kind) }

    /// Objects in install order: by release wave, then kind, then namespace and name.
    public static func sorted(_ objects: [ManifestObject], waves: [String: Int]) -> [ManifestObject] {
        objects.sorted { a, b in
            let (wa, wb) = (waves[a.release] ?? 0, waves[b.release] ?? 0)
            if wa != wb { return wa < wb }
            if a.release != b.release { return a.release < b.release }
            let (ka, kb) = (rank(of: a.kind), rank(of: b.kind))
            if ka != kb { return ka < kb }
            if (a.namespace ?? "") != (b.namespace ?? "") { return (a.namespace ?? "") < (b.namespace ?? "") }
            return a.name < b.name
        }
    }
}
