/// `os/architecture[/variant]` (`linux/amd64`, `linux/arm64/v8`): which manifest of a multi-arch index to take.
public struct ImagePlatform: Sendable, Hashable, CustomStringConvertible, Codable {
    public let os: String
    public let architecture: String
    public let variant: String?

    public static let linuxAMD64 = ImagePlatform(os: "linux", architecture: "amd64", variant: nil)

    public init(os: String, architecture: String, variant: String?) {
        self.os = os
        self.architecture = architecture
        self.variant = variant
    }

    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
    }

    public init(parsing text: String) throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard (2...3).contains(parts.count), parts.allSatisfy({ !$0.isEmpty }) else {
            throw Invalid(description: "`\(text)` is not a platform (os/architecture[/variant], e.g. linux/amd64)")
        }
        self.init(os: parts[0], architecture: parts[1], variant: parts.count == 3 ? parts[2] : nil)
    }

    public var description: String { [os, architecture, variant].compactMap { $0 }.joined(separator: "/") }

    /// Whether an index entry's platform is this one: a variant asked for must match (arm64's `v8` is its default).
    func matches(_ other: ImagePlatform) -> Bool {
        guard os == other.os, architecture == other.architecture else { return false }
        guard let variant else { return true }
        let theirs = other.variant ?? (architecture == "arm64" ? "v8" : nil)
        return variant == theirs
    }
}
