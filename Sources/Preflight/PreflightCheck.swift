/// How a check came out. Ordered by severity, so the worst of several findings is their `max()`.
public enum CheckStatus: String, Sendable, Codable, Comparable {
    case pass = "PASS", warn = "WARN", fail = "FAIL"

    private var rank: Int { self == .pass ? 0 : self == .warn ? 1 : 2 }
    public static func < (a: CheckStatus, b: CheckStatus) -> Bool { a.rank < b.rank }
}

/// What one rule found: its status, what it saw, and what to do about it (empty when there is nothing to do).
public struct Finding: Sendable, Equatable {
    public let status: CheckStatus
    public let found: String
    public let action: String

    public init(_ status: CheckStatus, _ found: String, action: String = "") {
        self.status = status
        self.found = found
        self.action = action
    }

    public static func pass(_ found: String) -> Finding { Finding(.pass, found) }
    public static func warn(_ found: String, _ action: String) -> Finding { Finding(.warn, found, action: action) }
    public static func fail(_ found: String, _ action: String) -> Finding { Finding(.fail, found, action: action) }
}

/// One row of the report: a finding of a named check, with the doc page that states the requirement.
public struct CheckResult: Sendable, Equatable, Codable {
    public let check: String
    public let status: CheckStatus
    public let found: String
    public let action: String
    /// The page under `docs/` that states the requirement.
    public let doc: String

    public init(check: String, status: CheckStatus, found: String, action: String, doc: String) {
        self.check = check
        self.status = status
        self.found = found
        self.action = action
        self.doc = doc
    }
}

/// A rule of the preflight table: its name, the page it comes from, whether `kiln apply` runs it before applying, and
/// how it judges what preflight gathered. A rule never talks to the cluster itself; `ClusterFacts` did that once.
public struct CheckDefinition: Sendable {
    public let id: String
    public let summary: String
    public let doc: String
    /// `kiln apply` runs this rule first: its failure means the apply itself would fail or collide with something
    /// that is not kiln's. Capacity, storage and registry rules are left to `kiln preflight` (and apply's waits).
    public let gatesApply: Bool
    let evaluate: @Sendable (PreflightInput) -> [Finding]

    init(_ id: String, _ summary: String, doc: String, gatesApply: Bool, _ evaluate: @escaping @Sendable (PreflightInput) -> [Finding]) {
        self.id = id
        self.summary = summary
        self.doc = doc
        self.gatesApply = gatesApply
        self.evaluate = evaluate
    }

    func run(_ input: PreflightInput) -> [CheckResult] {
        evaluate(input).map { CheckResult(check: id, status: $0.status, found: $0.found, action: $0.action, doc: doc) }
    }
}

/// What a set of rows adds up to.
public struct PreflightReport: Sendable, Codable {
    public let results: [CheckResult]

    public init(results: [CheckResult]) { self.results = results }

    public var failed: Bool { results.contains { $0.status == .fail } }
    public func count(_ status: CheckStatus) -> Int { results.filter { $0.status == status }.count }
}
