/// A platform size from the sizing reference: how many platform nodes, how big, and how many concurrent executions
/// they support.
public struct SizingProfile: Sendable, Equatable {
    public let name: String
    public let nodes: Int
    public let cpuPerNode: CPU
    public let memoryPerNode: Memory
    public let maxConcurrentExecutions: Int

    public static let standard = SizingProfile(name: "standard", nodes: 3, cpuPerNode: CPU(millicores: 16000),
                                               memoryPerNode: .gi(64), maxConcurrentExecutions: 300)
    public static let large = SizingProfile(name: "large", nodes: 5, cpuPerNode: CPU(millicores: 16000),
                                            memoryPerNode: .gi(64), maxConcurrentExecutions: 600)
    public static let xl = SizingProfile(name: "xl", nodes: 6, cpuPerNode: CPU(millicores: 16000),
                                         memoryPerNode: .gi(64), maxConcurrentExecutions: 1500)

    public static let all = [standard, large, xl]

    public static func named(_ name: String) -> SizingProfile? { all.first { $0.name == name } }

    /// The smallest profile that supports `executions` concurrent executions; nil beyond the largest.
    public static func smallest(supporting executions: Int) -> SizingProfile? {
        all.first { $0.maxConcurrentExecutions >= executions }
    }

    /// How much larger than standard this profile's platform nodes are, together. The reference's per-profile
    /// override files are not published, so kiln grows the platform in proportion to the capacity the profile adds:
    /// large ×5/3, xl ×2.
    public var factor: Double {
        Double(nodes * cpuPerNode.millicores) / Double(Self.standard.nodes * Self.standard.cpuPerNode.millicores)
    }

    public var capacity: ResourceAmounts {
        ResourceAmounts(cpu: cpuPerNode * nodes, memory: memoryPerNode * nodes)
    }
}
