import Schema

/// One Kubernetes object as kiln renders it: canonical key order (apiVersion, kind, metadata, then the kind's
/// conventional fields as the builder wrote them), labels and annotations sorted, nothing that changes between runs.
public struct ManifestObject: Sendable {
    public let apiVersion: String
    public let kind: String
    public let name: String
    /// nil for cluster-scoped objects.
    public let namespace: String?
    public var labels: [String: String]
    public var annotations: [String: String]
    /// Everything after `metadata`, in order.
    public var body: [(String, JSONValue)]
    /// The release the object belongs to (`kiln-base` for what the whole platform shares).
    public let release: String

    public init(apiVersion: String, kind: String, name: String, namespace: String? = nil, labels: [String: String] = [:],
                annotations: [String: String] = [:], body: [(String, JSONValue)], release: String) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.name = name
        self.namespace = namespace
        self.labels = labels
        self.annotations = annotations
        self.body = body
        self.release = release
    }

    public var isSecret: Bool { kind == "Secret" }

    /// `kind/namespace/name`, unique in a render.
    public var identity: String { "\(kind)/\(namespace ?? "")/\(name)" }

    /// The whole object, keys in canonical order: `head`, then `body`.
    public var json: JSONValue { .object(head + body) }

    /// The members before the body: apiVersion, kind, and metadata (name, namespace, then labels and annotations
    /// sorted). The one place that lays them out: `json`, the YAML writer and the revision digest all read it, and the
    /// last two walk `head` and `body` in turn instead of joining them into a copy.
    public var head: [(String, JSONValue)] {
        var metadata: [(String, JSONValue)] = [("name", .string(name))]
        if let namespace { metadata.append(("namespace", .string(namespace))) }
        if !labels.isEmpty { metadata.append(("labels", .sortedObject(labels))) }
        if !annotations.isEmpty { metadata.append(("annotations", .sortedObject(annotations))) }
        return [("apiVersion", .string(apiVersion)), ("kind", .string(kind)), ("metadata", .object(metadata))]
    }

    /// The file name in a release directory: `deployment-nucleus-frontend.yaml`.
    public var fileName: String { "\(kind.lowercased())-\(name).yaml" }
}

extension JSONValue {
    /// A string map as an object with its keys sorted (labels, annotations, data).
    public static func sortedObject(_ map: [String: String]) -> JSONValue {
        var members = map.map { ($0.key, JSONValue.string($0.value)) }
        members.sort { $0.0 < $1.0 }
        return .object(members)
    }

    /// An object from pairs, leaving out the nil values (builders pass optional fields).
    public static func fields(_ pairs: [(String, JSONValue?)]) -> JSONValue {
        .object(pairs.compactMap { key, value in value.map { (key, $0) } })
    }
}
