/// Whether the platform's requests fit its nodes: the sum of requests of everything on platform nodes, plus the
/// DaemonSets every platform node runs, against the profile's node capacity.
public struct FitCheck: Sendable {
    /// What kubelet and the system leave for pods, from the reference's m5.2xlarge example (8 CPU → 7910m,
    /// 32120476Ki → 28372636Ki allocatable).
    public static let allocatableCPU = 7910.0 / 8000.0
    public static let allocatableMemory = 28372636.0 / 32120476.0

    public let allocatable: ResourceAmounts
    /// DaemonSet requests on each platform node.
    public let daemonSetsPerNode: ResourceAmounts
    /// Requests of the workloads placed on platform nodes (replicas included).
    public let requested: ResourceAmounts
    public let checked: Bool
    public let consumers: [(name: String, requests: ResourceAmounts)]

    init(profile: SizingProfile, workloads: [SizedWorkload], requestsSet: Bool) {
        let capacity = profile.capacity
        allocatable = ResourceAmounts(
            cpu: CPU(millicores: Int(Double(capacity.cpu.millicores) * Self.allocatableCPU)),
            memory: Memory(bytes: Int64(Double(capacity.memory.bytes) * Self.allocatableMemory)))
        daemonSetsPerNode = workloads.filter { $0.kind == .daemonSet && ($0.nodes == .all || $0.nodes == .platform) }
            .reduce(.zero) { $0 + ($1.requests ?? .zero) }
        let onPlatform = workloads.filter { $0.kind != .daemonSet && $0.kind != .cronJob && $0.nodes == .platform }
        let perWorkload = onPlatform.map { ("\($0.release)/\($0.name)", ($0.requests ?? .zero) * $0.replicas) }
        requested = perWorkload.reduce(.zero) { $0 + $1.1 } + daemonSetsPerNode * profile.nodes
        consumers = perWorkload.sorted { a, b in
            a.1.cpu != b.1.cpu ? a.1.cpu > b.1.cpu : a.0 < b.0
        }
        checked = requestsSet
    }

    public var fits: Bool { !checked || (requested.cpu <= allocatable.cpu && requested.memory <= allocatable.memory) }

    public var cpuUse: Double { Double(requested.cpu.millicores) / Double(max(1, allocatable.cpu.millicores)) }
    public var memoryUse: Double { Double(requested.memory.bytes) / Double(max(1, allocatable.memory.bytes)) }

    /// The largest consumers of whichever resource runs out (of CPU when both do).
    public func largestConsumers(_ n: Int = 5) -> [(name: String, requests: ResourceAmounts)] {
        let byMemory = requested.cpu <= allocatable.cpu
        return Array(consumers.sorted { a, b in
            let (x, y) = byMemory ? (a.1.memory.bytes, b.1.memory.bytes) : (Int64(a.1.cpu.millicores), Int64(b.1.cpu.millicores))
            return x != y ? x > y : a.0 < b.0
        }.prefix(n))
    }
}
