/// CPU in millicores (`500m`, `2`).
public struct CPU: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var millicores: Int

    public init(millicores: Int) { self.millicores = millicores }

    /// `"500m"`, `"2"`, `"1.5"`.
    public init?(_ text: String) {
        if text.hasSuffix("m"), let m = Int(text.dropLast()) {
            millicores = m
        } else if let cores = Double(text) {
            millicores = Int((cores * 1000).rounded())
        } else {
            return nil
        }
    }

    public static func < (a: CPU, b: CPU) -> Bool { a.millicores < b.millicores }
    public static func + (a: CPU, b: CPU) -> CPU { CPU(millicores: a.millicores + b.millicores) }
    public static func * (a: CPU, n: Int) -> CPU { CPU(millicores: a.millicores * n) }
    public static let zero = CPU(millicores: 0)

    /// Kubernetes' canonical form: whole cores as `2`, the rest as millicores.
    public var description: String {
        millicores % 1000 == 0 ? "\(millicores / 1000)" : "\(millicores)m"
    }

    public var cores: Double { Double(millicores) / 1000 }
}

/// Memory (and volume sizes) in bytes, written with binary suffixes (`512Mi`, `8Gi`).
public struct Memory: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var bytes: Int64

    public init(bytes: Int64) { self.bytes = bytes }

    public static func mi(_ n: Int64) -> Memory { Memory(bytes: n << 20) }
    public static func gi(_ n: Int64) -> Memory { Memory(bytes: n << 30) }

    static let suffixes: [(String, Int64)] = [("Ki", 1 << 10), ("Mi", 1 << 20), ("Gi", 1 << 30), ("Ti", 1 << 40),
                                              ("k", 1000), ("M", 1_000_000), ("G", 1_000_000_000)]

    public init?(_ text: String) {
        for (suffix, factor) in Self.suffixes where text.hasSuffix(suffix) {
            guard let n = Double(text.dropLast(suffix.count)) else { return nil }
            bytes = Int64((n * Double(factor)).rounded())
            return
        }
        guard let n = Int64(text) else { return nil }
        bytes = n
    }

    public static func < (a: Memory, b: Memory) -> Bool { a.bytes < b.bytes }
    public static func + (a: Memory, b: Memory) -> Memory { Memory(bytes: a.bytes + b.bytes) }
    public static func * (a: Memory, n: Int) -> Memory { Memory(bytes: a.bytes * Int64(n)) }
    public static let zero = Memory(bytes: 0)

    public var gibibytes: Double { Double(bytes) / Double(1 << 30) }

    /// The largest binary unit that divides the value exactly (`8Gi`, `1536Mi`).
    public var description: String {
        for (suffix, factor) in [("Ti", Int64(1) << 40), ("Gi", 1 << 30), ("Mi", 1 << 20), ("Ki", 1 << 10)]
        where bytes != 0 && bytes % factor == 0 {
            return "\(bytes / factor)\(suffix)"
        }
        return "\(bytes)"
    }

    /// Rounded up to a whole MiB (sizes scaled by a factor).
    var roundedUpToMi: Memory {
        let mi: Int64 = 1 << 20
        return Memory(bytes: (bytes + mi - 1) / mi * mi)
    }

    /// Rounded up to a whole GiB (volumes).
    var roundedUpToGi: Memory {
        let gi: Int64 = 1 << 30
        return Memory(bytes: (bytes + gi - 1) / gi * gi)
    }
}

/// Requests or limits of one container set.
public struct ResourceAmounts: Sendable, Hashable {
    public var cpu: CPU
    public var memory: Memory

    public init(cpu: CPU, memory: Memory) {
        self.cpu = cpu
        self.memory = memory
    }

    public init(_ cpu: String, _ memory: String) {
        self.cpu = CPU(cpu) ?? .zero
        self.memory = Memory(memory) ?? .zero
    }

    public static let zero = ResourceAmounts(cpu: .zero, memory: .zero)

    public static func + (a: ResourceAmounts, b: ResourceAmounts) -> ResourceAmounts {
        ResourceAmounts(cpu: a.cpu + b.cpu, memory: a.memory + b.memory)
    }

    public static func * (a: ResourceAmounts, n: Int) -> ResourceAmounts {
        ResourceAmounts(cpu: a.cpu * n, memory: a.memory * n)
    }

    /// Scaled by `factor`, CPU rounded to 10m and memory up to a whole MiB.
    func scaled(_ factor: Double) -> ResourceAmounts {
        ResourceAmounts(cpu: CPU(millicores: Int((Double(cpu.millicores) * factor / 10).rounded(.up)) * 10),
                        memory: Memory(bytes: Int64((Double(memory.bytes) * factor).rounded(.up))).roundedUpToMi)
    }
}
