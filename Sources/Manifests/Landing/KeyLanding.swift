import Config
import Platform
import Schema

/// Where a config key lands: the rendered objects (and fields, or config-record keys) that change when its value
/// does. Found by rendering the config before and after each valid change of the key (`KeyMutation`), so the answer
/// is what the renderer does, not what a table claims.
public struct KeyLanding: Sendable {
    /// One object the key changes.
    public struct Target: Sendable, Hashable {
        public let kind: String
        public let namespace: String?
        public let name: String
        public let release: String
        /// Changed fields as paths (`spec.template.spec.containers[nucleus-frontend].env[SMTP_HOST]`,
        /// `data["com.cerebro.domino.email.smtp.host"]`); `(added)` or `(removed)` for a whole object.
        public let fields: [String]

        public var identity: String { "\(kind)/\(namespace.map { $0 + "/" } ?? "")\(name)" }
    }

    public enum Outcome: Sendable {
        /// The change moved these objects.
        case lands(change: String, targets: [Target])
        /// Valid changes were rendered and nothing moved.
        case noEffect(tried: Int)
        /// The config has no section that holds the key.
        case notApplicable
        /// The key is there, but no candidate change keeps the config valid.
        case noValidChange
    }

    /// Secret references resolve to stand-ins: a landing never needs, shows or hashes a real secret.
    static let standInSecrets = SecretValues(variable: { "stand-in-for-\($0)" }, readFile: { "stand-in-for-\($0)" })

    /// Label and annotation keys derived from the rest of an object (a content revision): they move with any change
    /// and say nothing about where a key lands.
    public static let derivedMetadata: Set<String> = [ObjectLabels.configRevision]

    /// Where `leaf` lands in `config` (a layered root, as `ConfigLoader` gives it).
    public static func landing(of leaf: SchemaLeaf, in config: Instance) -> Outcome {
        let root = InstallConfigSchema.shared.typed(config)
        guard KeyMutation.concretePath(leaf.path, in: root) != nil else { return .notApplicable }
        let changes = KeyMutation.changes(of: leaf, in: root)
        guard !changes.isEmpty else { return .noValidChange }
        let base = PlatformRenderer.render(ConfigView(root), secrets: standInSecrets)
        for change in changes {
            let after = PlatformRenderer.render(ConfigView(change.root), secrets: standInSecrets)
            let targets = differences(base.objects, after.objects)
            if !targets.isEmpty { return .lands(change: "\(change.path): \(change.summary)", targets: targets) }
        }
        return .noEffect(tried: changes.count)
    }

    /// The objects that differ between two renders, with the fields that differ (at most a few per object).
    public static func differences(_ before: [ManifestObject], _ after: [ManifestObject]) -> [Target] {
        let old = Dictionary(before.map { ($0.identity, $0) }, uniquingKeysWith: { a, _ in a })
        let new = Dictionary(after.map { ($0.identity, $0) }, uniquingKeysWith: { a, _ in a })
        var out: [Target] = []
        for object in after {
            guard let was = old[object.identity] else {
                out.append(target(object, ["(added)"]))
                continue
            }
            var fields: [String] = []
            JSONDifference.paths(comparable(was), comparable(object), at: "", into: &fields, limit: 6)
            if !fields.isEmpty { out.append(target(object, fields)) }
        }
        for object in before where new[object.identity] == nil {
            out.append(target(object, ["(removed)"]))
        }
        return out.sorted { ($0.release, $0.identity) < ($1.release, $1.identity) }
    }

    static func target(_ o: ManifestObject, _ fields: [String]) -> Target {
        Target(kind: o.kind, namespace: o.namespace, name: o.name, release: o.release, fields: fields)
    }

    static func comparable(_ object: ManifestObject) -> JSONValue {
        var copy = object
        for key in derivedMetadata {
            copy.labels[key] = nil
            copy.annotations[key] = nil
        }
        return copy.json
    }
}

/// Paths at which two JSON values differ; list items with a `name` are addressed by it.
enum JSONDifference {
    static func paths(_ a: JSONValue, _ b: JSONValue, at path: String, into out: inout [String], limit: Int) {
        guard out.count < limit, !(a == b) else { return }
        switch (a, b) {
        case let (.object(x), .object(y)):
            var keys = x.map(\.0)
            for (k, _) in y where !keys.contains(k) { keys.append(k) }
            for key in keys {
                let sub = segment(path, key)
                switch (a[key], b[key]) {
                case let (l?, r?): paths(l, r, at: sub, into: &out, limit: limit)
                case (nil, _?), (_?, nil): if out.count < limit { out.append(sub) }
                default: break
                }
            }
        case let (.array(x), .array(y)) where x.count == y.count:
            for (i, pair) in zip(x, y).enumerated() {
                paths(pair.0, pair.1, at: path + "[\(pair.1["name"]?.stringValue ?? pair.1["key"]?.stringValue ?? String(i))]",
                      into: &out, limit: limit)
            }
        default:
            out.append(path.isEmpty ? "(whole object)" : path)
        }
    }

    static func segment(_ path: String, _ key: String) -> String {
        let plain = key.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
        let part = plain ? key : "[\"\(key)\"]"
        return path.isEmpty ? part : plain ? path + "." + part : path + part
    }
}
