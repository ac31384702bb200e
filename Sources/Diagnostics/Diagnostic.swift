/// How bad a diagnostic is. Only errors make a command fail (warnings too under `--strict`).
public enum Severity: String, Sendable, Codable, Comparable {
    case error, warning, note

    private var rank: Int { self == .error ? 0 : self == .warning ? 1 : 2 }
    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// One problem found in an input, in the shape compilers use: where, what, and how to fix it.
///
/// `code` is stable and documented (`kiln explain KILN-R003`). `path` is the key path inside the config
/// (`storage_classes.block.name`, `helm.image_registries[0].server`), empty for file-level problems.
/// `secretValue` marks diagnostics about a secret: renderers then never show the value in a source snippet.
public struct Diagnostic: Sendable, Equatable {
    public var severity: Severity
    public var code: String
    public var message: String
    public var file: String?
    public var location: SourceLocation?
    public var path: String
    public var notes: [String]
    public var help: String?
    public var secretValue: Bool

    public init(
        _ severity: Severity, code: String, _ message: String, file: String? = nil,
        at location: SourceLocation? = nil, path: String = "", notes: [String] = [], help: String? = nil,
        secretValue: Bool = false
    ) {
        self.severity = severity
        self.code = code
        self.message = message
        self.file = file
        self.location = location
        self.path = path
        self.notes = notes
        self.help = help
        self.secretValue = secretValue
    }

    public static func error(_ code: String, _ message: String, at location: SourceLocation? = nil, path: String = "",
                             notes: [String] = [], help: String? = nil) -> Diagnostic {
        Diagnostic(.error, code: code, message, at: location, path: path, notes: notes, help: help)
    }

    public static func warning(_ code: String, _ message: String, at location: SourceLocation? = nil, path: String = "",
                               notes: [String] = [], help: String? = nil) -> Diagnostic {
        Diagnostic(.warning, code: code, message, at: location, path: path, notes: notes, help: help)
    }

    /// The same diagnostic attributed to a file.
    public func inFile(_ name: String) -> Diagnostic {
        var copy = self
        copy.file = name
        return copy
    }
}

extension Array where Element == Diagnostic {
    public var hasErrors: Bool { contains { $0.severity == .error } }
    public var errorCount: Int { filter { $0.severity == .error }.count }
    public var warningCount: Int { filter { $0.severity == .warning }.count }

    /// Stable order for output: by file, then position, then code; diagnostics without a position first.
    public func sortedForOutput() -> [Diagnostic] {
        enumerated().sorted { a, b in
            let (x, y) = (a.element, b.element)
            if (x.file ?? "") != (y.file ?? "") { return (x.file ?? "") < (y.file ?? "") }
            switch (x.location, y.location) {
            case let (l?, r?) where l != r: return l < r
            case (nil, _?): return true
            case (_?, nil): return false
            default: break
            }
            return a.offset < b.offset
        }.map(\.element)
    }
}
