/// Bounds on what the parser accepts, so that a hostile or broken file fails fast with bounded memory.
public struct YAMLLimits: Sendable {
    /// Largest input accepted, checked before parsing (default 16 MiB).
    public var maxBytes: Int
    /// Deepest nesting of sequences and mappings.
    public var maxDepth: Int
    /// Most nodes that aliases may stand for in one document ("billion laughs" stops here).
    public var maxAliasNodes: Int

    public init(maxBytes: Int = 16 << 20, maxDepth: Int = 64, maxAliasNodes: Int = 100_000) {
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
        self.maxAliasNodes = maxAliasNodes
    }

    public static let `default` = YAMLLimits()
}
