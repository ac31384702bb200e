/// One workload of a release (a Deployment, StatefulSet, DaemonSet or CronJob) at the `standard` size.
public struct Workload: Sendable {
    public enum Kind: String, Sendable, Codable {
        case deployment = "Deployment", statefulSet = "StatefulSet", daemonSet = "DaemonSet", cronJob = "CronJob"
    }

    /// How a larger profile grows it.
    public enum Scaling: String, Sendable, Codable {
        /// More replicas (stateless services behind a load balancer).
        case horizontal
        /// Bigger requests and limits (single-writer services, databases).
        case vertical
        /// Unchanged (controllers, agents, DaemonSets).
        case fixed
    }

    /// Which nodes it runs on: platform nodes for the platform's services; DaemonSets on all nodes or one pool.
    public enum Nodes: String, Sendable, Codable {
        case platform, all, compute, gpu, neuron
    }

    /// The volume a stateful workload claims per replica.
    public struct Volume: Sendable {
        public enum StorageClass: String, Sendable, Codable { case block, shared }
        public let size: Memory
        public let storageClass: StorageClass
        /// The claim template's name: each replica's claim is `<claim>-<workload>-<ordinal>`.
        public let claim: String

        public init(_ size: Memory, _ storageClass: StorageClass = .block, claim: String = "data") {
            self.size = size
            self.storageClass = storageClass
            self.claim = claim
        }
    }

    public let name: String
    public let kind: Kind
    public let image: Image
    public let replicas: Int
    public let requests: ResourceAmounts
    /// nil: the workload runs without limits (databases and search systems, whose data integrity limits would
    /// endanger, per the sizing reference).
    public let limits: ResourceAmounts?
    public let scaling: Scaling
    public let nodes: Nodes
    public let volume: Volume?
    /// Runs privileged or as root (the documented exceptions to the default security context).
    public let privileged: Bool
    /// The Service's name where the docs give it one other than the workload's (`keycloak-http`).
    public var serviceName: String?
    /// What it serves; none for controllers, agents and jobs.
    public internal(set) var ports: [Port] = []
    /// Its path at the platform's hostname (Keycloak at `/auth`), if it is routed.
    public internal(set) var route: String?
    public internal(set) var volumeRule: VolumeRule?
    public internal(set) var autoscaling: Autoscaling?
    /// How voluntary evictions (node drains) of its pods are bounded, when it runs more than one.
    public internal(set) var disruptionBudget: DisruptionBudget = .oneAtATime

    init(_ name: String, _ kind: Kind, image: Image, replicas: Int = 1, requests: ResourceAmounts, limits: ResourceAmounts?,
         scaling: Scaling = .fixed, nodes: Nodes = .platform, volume: Volume? = nil, privileged: Bool = false,
         serviceName: String? = nil) {
        self.name = name
        self.kind = kind
        self.image = image
        self.replicas = kind == .daemonSet ? 0 : replicas
        self.requests = requests
        self.limits = limits
        self.scaling = scaling
        self.nodes = nodes
        self.volume = volume
        self.privileged = privileged
        self.serviceName = serviceName
    }

    /// A database or search system: requests, never limits.
    static func database(_ name: String, image: Image, replicas: Int, requests: ResourceAmounts, volume: Volume) -> Workload {
        Workload(name, .statefulSet, image: image, replicas: replicas, requests: requests, limits: nil, scaling: .vertical,
                 volume: volume)
    }

    /// A stateless service that grows by replicas.
    static func service(_ name: String, image: Image, replicas: Int, requests: ResourceAmounts, limits: ResourceAmounts)
        -> Workload {
        Workload(name, .deployment, image: image, replicas: replicas, requests: requests, limits: limits, scaling: .horizontal)
    }

    /// A single controller or agent that stays the same size.
    static func controller(_ name: String, image: Image, requests: ResourceAmounts, limits: ResourceAmounts) -> Workload {
        Workload(name, .deployment, image: image, requests: requests, limits: limits)
    }

    /// A node agent.
    static func daemon(_ name: String, image: Image, nodes: Nodes, requests: ResourceAmounts,
                       limits: ResourceAmounts, privileged: Bool = false) -> Workload {
        Workload(name, .daemonSet, image: image, requests: requests, limits: limits, nodes: nodes, privileged: privileged)
    }
}
