import Config

/// Core releases are always available; extended ones need `extended_catalog: true`.
public enum CatalogKind: String, Sendable, Codable {
    case core, extended
}

/// Which namespace a release's objects go to (the names come from `namespaces.*.name`).
public enum NamespaceRole: String, Sendable, Codable {
    case platform, compute, system, istio
}

/// Which installs carry a release.
public enum Planes: String, Sendable {
    /// Control-plane installs (which include the local data plane).
    case controlPlane = "control plane"
    /// Remote data-plane installs only.
    case remoteDataPlane = "remote data plane"
    /// Both.
    case all = "control and data plane"
}

/// What a config decides about a release, and which key decided it.
public struct Decision: Sendable {
    public let enabled: Bool
    public let reason: String
    /// The config key that decided, when one did (errors about the release point at it).
    public let key: String?

    public static func on(_ reason: String, key: String? = nil) -> Decision { Decision(enabled: true, reason: reason, key: key) }
    public static func off(_ reason: String, key: String? = nil) -> Decision { Decision(enabled: false, reason: reason, key: key) }

    /// On when a boolean key is true, naming the key and its value.
    static func key(_ path: String, _ config: ConfigView) -> Decision {
        config.bool(path) ? .on("\(path): true", key: path) : .off("\(path): false", key: path)
    }
}

/// One release (a Helm release in the reference): a named set of workloads installed together.
///
/// Each declares how a config switches it on, what it needs installed first, where it runs, its images per platform
/// version, its workloads at the standard size, and the `chart_values` it accepts.
public struct Release: Sendable {
    public let name: String
    public let catalog: CatalogKind
    public let summary: String
    public let namespace: NamespaceRole
    public let planes: Planes
    /// Releases that must be installed first, when they are installed at all.
    public let dependencies: [String]
    /// Dependencies it cannot run without: switching one off is an error.
    public let requires: [String]
    public let workloads: [Workload]
    /// Deprecated: must be removed where it is still installed (STATUS INTENT `uninstalled`).
    public let deprecated: Bool
    /// Keys of `release_overrides.<name>.chart_values` this release accepts, as a JSON Schema: the common keys of
    /// `schemas/values/generic.schema.json` and its own from `schemas/values/<name>.schema.json`.
    public var valuesSchema: String { ValuesSchemaFiles.schema(for: name) }
    /// Reference page it follows.
    public let reference: String
    let decide: @Sendable (ConfigView) -> Decision
    /// Its ClusterRole's rules; none: no API rights.
    public internal(set) var access: [APIRule] = []
    public internal(set) var httpsEgress = false
    public internal(set) var secrets: [ConfigSecret] = []
    public internal(set) var generatedSecrets: [GeneratedSecret] = []

    init(_ name: String, _ catalog: CatalogKind, _ summary: String, namespace: NamespaceRole = .platform,
         planes: Planes = .controlPlane, dependencies: [String] = [], requires: [String] = [], workloads: [Workload],
         deprecated: Bool = false, reference: String,
         enabled: @escaping @Sendable (ConfigView) -> Decision) {
        self.name = name
        self.catalog = catalog
        self.summary = summary
        self.namespace = namespace
        self.planes = planes
        self.dependencies = Array(Set(dependencies + requires)).sorted()
        self.requires = requires
        self.workloads = workloads
        self.deprecated = deprecated
        self.reference = reference
        self.decide = enabled
    }

    public func decision(_ config: ConfigView) -> Decision { decide(config) }

    /// Whether the release keeps data (a volume) and so must not lose its pods lightly.
    public var stateful: Bool { workloads.contains { $0.volume != nil } }
}
