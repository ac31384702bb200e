import Diagnostics

/// A cross-field rule the schema cannot say well. Each has a stable id (`KILN-R001`), a one-line summary that
/// `kiln explain KILN-R001` prints, and the reference page it comes from.
public struct SemanticRule: Sendable {
    public let id: String
    public let summary: String
    public let reference: String
    let check: @Sendable (SemanticRule, ConfigView) -> [Diagnostic]

    init(_ id: String, _ summary: String, reference: String, check: @escaping @Sendable (SemanticRule, ConfigView) -> [Diagnostic]) {
        self.id = id
        self.summary = summary
        self.reference = reference
        self.check = check
    }

    public func evaluate(_ config: ConfigView) -> [Diagnostic] { check(self, config) }

    /// An error of this rule, at the key of `path` (or its nearest written ancestor).
    func error(_ config: ConfigView, _ path: String, _ message: String, notes: [String] = [], help: String? = nil) -> Diagnostic {
        .error(id, message, at: config.keyLocation(path), path: path, notes: notes, help: help)
    }

    func warning(_ config: ConfigView, _ path: String, _ message: String, notes: [String] = [], help: String? = nil) -> Diagnostic {
        .warning(id, message, at: config.keyLocation(path), path: path, notes: notes, help: help)
    }
}

/// Every semantic rule, in id order.
public enum SemanticRules {
    public static let all: [SemanticRule] = (RegistryRules.all + StorageRules.all + PlaneRules.all + SecurityRules.all
        + ServiceRules.all).sorted { $0.id < $1.id }

    public static func rule(_ id: String) -> SemanticRule? { all.first { $0.id == id } }

    public static func check(_ config: ConfigView) -> [Diagnostic] {
        all.flatMap { $0.evaluate(config) }
    }
}
