import Kube
import Schema

/// Each PlatformRelease's suspension, as the release informer last saw it, and which platforms a change of it
/// concerns: a release suspended or resumed forces its platform's reconcile (the platform's own fingerprint did not
/// move). A relist after a watch gap compares too: a toggle, a release created suspended, or a suspended release
/// removed during the gap.
struct ReleaseSuspensions {
    private var known: [String: (suspended: Bool, platform: String?)]?

    /// The platforms whose releases' suspension changed with this event; none for the first list.
    mutating func observe(_ event: InformerEvent) -> Set<String> {
        let before = known
        var after = known ?? [:]
        switch event {
        case .listed(let items, _):
            after = Dictionary(items.map(Self.state), uniquingKeysWith: { $1 })
        case .changed(let change):
            let (name, state) = Self.state(change.object)
            after[name] = change.type == .deleted ? nil : state
        }
        known = after
        guard let before else { return [] }
        var platforms: Set<String> = []
        for name in Set(before.keys).union(after.keys)
        where (before[name]?.suspended ?? false) != (after[name]?.suspended ?? false) {
            if let platform = after[name]?.platform ?? before[name]?.platform { platforms.insert(platform) }
        }
        return platforms
    }

    private static func state(_ object: JSONValue) -> (String, (suspended: Bool, platform: String?)) {
        (object["metadata"]?["name"]?.stringValue ?? "",
         (object["spec"]?["suspend"]?.boolValue ?? false, object["spec"]?["platform"]?.stringValue))
    }
}
