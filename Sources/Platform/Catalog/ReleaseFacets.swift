/// The parts of a release's description beyond its catalog facts and workloads: what it may do through the Kubernetes
/// API, where it connects outside the platform, and which config values it reads as secrets. Written beside the release
/// (`Release(...).accessing(...)`), so that one file holds a release whole.

/// One rule of the ClusterRole a release's service account is bound to.
public struct APIRule: Sendable, Hashable {
    public let groups: [String]
    public let resources: [String]
    public let verbs: [String]

    public init(_ groups: [String], _ resources: [String], _ verbs: [String]) {
        self.groups = groups
        self.resources = resources
        self.verbs = verbs
    }

    /// Reading the cluster's workloads (monitors, health checks, autoscalers).
    public static let readWorkloads = APIRule(["", "apps", "batch"], ["pods", "services", "endpoints", "nodes", "namespaces",
                                                                    "deployments", "statefulsets", "daemonsets", "jobs"],
                                              ["get", "list", "watch"])
    public static let all = ["get", "list", "watch", "create", "update", "patch", "delete"]
}

/// A config value a release's pods read from a Secret: the key in `<release>-credentials` and the config path.
public struct ConfigSecret: Sendable, Hashable {
    public let key: String
    public let path: String

    public init(_ key: String, _ path: String) {
        self.key = key
        self.path = path
    }
}

/// A Secret whose values kiln generates once, when it first applies the platform, and never changes: the admin
/// passwords the docs tell the admin to read with kubectl (`kubectl get secret keycloak-http …`). The render holds
/// the Secret without its values (nothing random in a render); apply fills in what is missing.
public struct GeneratedSecret: Sendable, Hashable {
    public let name: String
    /// Generated key → the environment variable the release's pods read it as.
    public let keys: [String: String]
    /// Fixed variables that go with it (the user name the docs give).
    public let fixedEnv: [String: String]

    public init(_ name: String, keys: [String: String], fixedEnv: [String: String] = [:]) {
        self.name = name
        self.keys = keys
        self.fixedEnv = fixedEnv
    }
}

extension Release {
    /// The release's pods read a password kiln generates at first apply.
    public func generatingSecret(_ secret: GeneratedSecret) -> Release {
        var copy = self
        copy.generatedSecrets.append(secret)
        return copy
    }

    /// The release's service account may do this through the API (and may reach the API server).
    public func accessing(_ rules: [APIRule]) -> Release {
        var copy = self
        copy.access = rules
        return copy
    }

    /// The release opens HTTPS connections out of the platform (blob stores, registries, identity providers).
    public func reachingOut() -> Release {
        var copy = self
        copy.httpsEgress = true
        return copy
    }

    /// Config values the release's pods read as secrets, from `<release>-credentials`.
    public func readingSecrets(_ secrets: [ConfigSecret]) -> Release {
        var copy = self
        copy.secrets = secrets
        return copy
    }

    /// Whether its pods may open HTTPS connections out (declared, or implied by API access).
    public var opensHTTPS: Bool { httpsEgress || !access.isEmpty }
}

extension Workload {
    /// The ports it serves (its Service and probes).
    public func serving(_ ports: [(name: String, port: Int)]) -> Workload {
        var copy = self
        copy.ports = ports.map { Port(name: $0.name, port: $0.port) }
        return copy
    }

    /// The path it answers at the platform's hostname.
    public func routed(at path: String) -> Workload {
        var copy = self
        copy.route = path
        return copy
    }

    /// A HorizontalPodAutoscaler scales it between its sized replicas and `maxFactor` times them, at `cpuPercent`; its
    /// Deployment then leaves the replica count to the autoscaler.
    public func autoscaled(maxFactor: Int = 2, cpuPercent: Int = 80) -> Workload {
        var copy = self
        copy.autoscaling = Autoscaling(maxFactor: maxFactor, cpuPercent: cpuPercent)
        return copy
    }

    /// One disruption budget per member of its StatefulSet, named in member order (`mongodb-primary` for member 0),
    /// each keeping its member running: the names the docs' runbooks back up and delete before a node upgrade.
    public func budgeted(perMember names: [String]) -> Workload {
        var copy = self
        copy.disruptionBudget = .perMember(names)
        return copy
    }

    /// How its volume follows the config (instead of the catalog size).
    public func sizingVolume(by rule: VolumeRule) -> Workload {
        var copy = self
        copy.volumeRule = rule
        return copy
    }
}

extension Workload {
    /// The PodDisruptionBudgets of a workload that runs more than one pod.
    public enum DisruptionBudget: Sendable, Hashable {
        /// One budget named after the workload: at most one pod evicted at a time.
        case oneAtATime
        /// A budget per StatefulSet member (by its `statefulset.kubernetes.io/pod-name`), named in member order, each
        /// with `minAvailable: 1`: no member is evicted while its budget stands (what the docs' Kubernetes-upgrade pages
        /// imply by deleting them before draining nodes and restoring them after).
        case perMember([String])
    }

    public struct Autoscaling: Sendable, Hashable {
        public let maxFactor: Int
        public let cpuPercent: Int
    }

    public struct Port: Sendable, Hashable {
        public let name: String
        public let port: Int
    }

    /// Where a volume's size comes from when the config decides it.
    public enum VolumeRule: String, Sendable {
        /// MongoDB's volume from the asynchronous endpoint load (size-async-domino-endpoint page).
        case asyncDocuments
        /// RabbitMQ's volume from the asynchronous endpoint load.
        case asyncQueues
        /// BuildKit's cache from `image_building.cache_storage_size`.
        case buildCache
        /// No volume when the registry keeps its layers in a blob store (`internal_docker_registry.*_override`).
        case registryBlobs
    }
}
