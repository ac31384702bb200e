import Config

/// One workload at the chosen size.
public struct SizedWorkload: Sendable {
    public let release: String
    public let name: String
    public let kind: Workload.Kind
    public let nodes: Workload.Nodes
    public let replicas: Int
    /// nil when the config asks for no requests and limits (`request_resources: false`).
    public let requests: ResourceAmounts?
    /// nil for databases and search systems, and with `request_resources: false`.
    public let limits: ResourceAmounts?
    public let volume: Workload.Volume?
    /// Why this workload differs from the profile's rule, if it does.
    public let note: String?
}

/// The platform at a sizing profile: every installed workload's replicas, requests, limits and volume.
public struct SizingPlan: Sendable {
    public let profile: SizingProfile
    /// Which key (or flag) chose the profile.
    public let profileReason: String
    public let workloads: [SizedWorkload]
    public let asyncStorage: AsyncEndpointStorage
    public let fit: FitCheck

    /// `profile` (from `--profile`) wins over the config's `sizing` section.
    public init(_ config: ConfigView, plan: ReleasePlan? = nil, profile forced: SizingProfile? = nil) {
        let plan = plan ?? ReleasePlan(config)
        let (profile, reason) = Self.choose(config, forced: forced)
        self.profile = profile
        profileReason = reason
        asyncStorage = AsyncEndpointStorage(config)
        let version = config.string(.version) ?? PlatformVersion.supported.last!
        let rules = SizingRules(profile: profile, config: config, storage: asyncStorage, version: version)
        workloads = plan.installOrder.flatMap { release in release.workloads.map { rules.size($0, of: release) } }
        fit = FitCheck(profile: profile, workloads: workloads, requestsSet: config.bool(.requestResources))
    }

    static func choose(_ config: ConfigView, forced: SizingProfile?) -> (SizingProfile, String) {
        if let forced { return (forced, "--profile \(forced.name)") }
        if let name = config.string(.sizingProfile), let p = SizingProfile.named(name) { return (p, "sizing.profile: \(name)") }
        if let n = config.number(.sizingMaxConcurrentExecutions), let p = SizingProfile.smallest(supporting: Int(n)) {
            return (p, "sizing.max_concurrent_executions: \(Int(n)) (the smallest profile that supports it)")
        }
        return (.standard, "the default profile")
    }
}

/// How a profile and the config's switches turn a catalog workload into a sized one.
struct SizingRules {
    let profile: SizingProfile
    let requestResources: Bool
    let minimal: Bool
    let storage: AsyncEndpointStorage
    let version: String
    let cacheSize: Memory?
    let registryOnBlobStore: Bool
    let config: ConfigView

    /// The data-plane agent's figures for larger installs (size-data-plane-agent page).
    static let largeAgentRequests = ResourceAmounts("2000m", "2Gi")
    static let largeAgentLimits = ResourceAmounts("4000m", "4Gi")

    init(profile: SizingProfile, config: ConfigView, storage: AsyncEndpointStorage, version: String) {
        self.profile = profile
        requestResources = config.bool(.requestResources)
        minimal = config.bool(.minimalResources)
        self.storage = storage
        self.version = version
        self.config = config
        cacheSize = config.string(.imageBuildingCacheStorageSize).flatMap(Memory.init)
        registryOnBlobStore = ["s3_override", "gcs_override", "azure_blobs_override"].contains { key in
            (config.instance("internal_docker_registry.\(key)")?.members ?? []).contains { !($0.value.text ?? "").isEmpty }
        }
    }

    func size(_ w: Workload, of release: Release) -> SizedWorkload {
        var replicas = w.replicas
        var requests = w.requests
        var limits = w.limits
        var volume = w.volume
        var note: String?
        let factor = profile.factor
        switch w.scaling {
        case .horizontal where w.kind != .daemonSet:
            replicas = Int((Double(w.replicas) * factor).rounded(.up))
        case .vertical:
            requests = requests.scaled(factor)
            limits = limits?.scaled(factor)
        default:
            break
        }
        if w.name == "data-plane-agent", profile != .standard {
            requests = Self.largeAgentRequests
            limits = Self.largeAgentLimits
            note = "data plane agent sizing for larger installs"
        }
        let values = ChartValueSizing(config, release: release.name)
        if let count = values.replicaCount, w.scaling == .horizontal, w.kind != .daemonSet {
            replicas = count
            note = "replicaCount from chart_values"
        }
        if let override = values.resources(for: w.name), w.kind != .daemonSet {
            requests = override.requests ?? requests
            limits = override.limits ?? limits
            note = "resources from chart_values"
        }
        if release.name == "keycloak", version == "6.1.0" {
            replicas = 1
            note = "one replica: Keycloak 26.1.4 in 6.1.0 fails authentication with several"
        }
        switch w.volumeRule {
        case .asyncDocuments?: volume = .init(storage.mongoVolume)
        case .asyncQueues?: volume = .init(storage.rabbitVolume)
        case .buildCache?: if let cacheSize { volume = .init(cacheSize) }
        case .registryBlobs?: if registryOnBlobStore { volume = nil }
        case nil: break
        }
        if minimal {
            replicas = min(replicas, 1)
            requests = ResourceAmounts(cpu: CPU(millicores: max(10, requests.cpu.millicores / 4)),
                                       memory: Memory(bytes: max(Memory.mi(16).bytes, requests.memory.bytes / 4)).roundedUpToMi)
            limits = limits.map { ResourceAmounts(cpu: CPU(millicores: max(10, $0.cpu.millicores / 2)),
                                                  memory: Memory(bytes: max(Memory.mi(32).bytes, $0.memory.bytes / 2)).roundedUpToMi) }
            note = "minimal_resources: true"
        }
        let zero = w.requests == .zero
        return SizedWorkload(release: release.name, name: w.name, kind: w.kind, nodes: w.nodes, replicas: replicas,
                             requests: requestResources && !zero ? requests : nil,
                             limits: requestResources && !zero ? limits : nil, volume: volume, note: note)
    }
}
