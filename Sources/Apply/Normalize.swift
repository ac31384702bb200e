import Schema

/// Live and desired objects made comparable: what the server owns (managedFields, resourceVersion, uid, generation,
/// timestamps, status) is dropped. Secret values stay (comparisons need them): what prints goes through `SecretMask`.
public enum Normalize {
    static let serverMetadata: Set<String> = ["managedFields", "resourceVersion", "uid", "generation", "creationTimestamp",
                                              "selfLink", "deletionTimestamp", "deletionGracePeriodSeconds"]

    /// Keys are sorted at every level (as `kubectl diff` prints them), so the order a server stores fields in never
    /// shows as a change.
    public static func forComparison(_ object: JSONValue) -> JSONValue {
        sortingKeys(withoutServerFields(object))
    }

    static func sortingKeys(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members): return .object(members.map { ($0.0, sortingKeys($0.1)) }.sorted { $0.0 < $1.0 })
        case .array(let items): return .array(items.map(sortingKeys))
        default: return value
        }
    }

    static func withoutServerFields(_ object: JSONValue) -> JSONValue {
        guard case .object(let members) = object else { return object }
        return .object(members.compactMap { key, value in
            switch key {
            case "status": return nil
            case "metadata":
                guard case .object(let meta) = value else { return (key, value) }
                return (key, .object(meta.filter { !serverMetadata.contains($0.0) }.map { k, v in
                    k == "annotations" ? (k, withoutKubectlAnnotations(v)) : (k, v)
                }))
            default:
                return (key, value)
            }
        })
    }

    static func withoutKubectlAnnotations(_ value: JSONValue) -> JSONValue {
        guard case .object(let members) = value else { return value }
        return .object(members.filter { $0.0 != "kubectl.kubernetes.io/last-applied-configuration" })
    }

    /// Removes the value at a dotted path (drift's ignore paths: `spec.replicas`); a list on the way is walked, so
    /// `webhooks.clientConfig.caBundle` is every webhook's bundle.
    public static func removing(_ path: [String], from object: JSONValue) -> JSONValue {
        if case .array(let items) = object { return .array(items.map { removing(path, from: $0) }) }
        guard let first = path.first, case .object(var members) = object else { return object }
        if path.count == 1 {
            members.removeAll { $0.0 == first }
        } else if let i = members.firstIndex(where: { $0.0 == first }) {
            members[i].1 = removing(Array(path.dropFirst()), from: members[i].1)
        }
        return .object(members)
    }
}
