/// A platform version, `6.1.2`, compared by its numbers. Also reads the agent's tag form (`6.1.2.catalog-c8f8be5`,
/// `admin_guide/installation/releases.txt`) by its first three numbers.
public struct PlatformVersionNumber: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let major: Int
    public let minor: Int
    public let patch: Int

    public init?(_ text: String) {
        let numbers = text.split(separator: ".", maxSplits: 3).prefix(3).map { Int($0) }
        guard numbers.count == 3, let major = numbers[0], let minor = numbers[1], let patch = numbers[2] else { return nil }
        self.major = major
        self.minor = minor
        self.patch = patch
    }

    /// `6.1`: the column support tables use.
    public var minorVersion: String { "\(major).\(minor)" }
    public var description: String { "\(major).\(minor).\(patch)" }

    /// Same major and minor: only the patch differs (the data-plane skew rule).
    public func samePatchLine(_ other: PlatformVersionNumber) -> Bool { major == other.major && minor == other.minor }

    public static func < (a: PlatformVersionNumber, b: PlatformVersionNumber) -> Bool {
        (a.major, a.minor, a.patch) < (b.major, b.minor, b.patch)
    }
}
