import Manifests

/// What `kiln explain KEY` says about where a key lands, as text and as JSON.
struct KeyLandingReport {
    var config: String?
    var outcome: KeyLanding.Outcome?
    var inert: String?

    init(inert reason: String) { inert = reason }

    init(config: String?, outcome: KeyLanding.Outcome) {
        self.config = config
        self.outcome = outcome
    }

    var text: String {
        if let inert { return "  lands in:  nothing, by design: \(inert)" }
        let place = config.map { " (in \($0))" } ?? ""
        switch outcome {
        case .lands(let change, let targets)?:
            var lines = ["  lands in\(place), seen by rendering \(change):"]
            for t in targets {
                lines.append("    \(t.identity) [\(t.release)]: \(t.fields.joined(separator: ", "))")
            }
            return lines.joined(separator: "\n")
        case .noEffect(let tried)?:
            return "  lands in\(place):  nothing: \(tried) valid changes of it render the same objects"
        case .noValidChange?:
            return "  lands in\(place):  unknown: no change of it keeps the config valid"
        case .notApplicable?, nil:
            return "  lands in:  unknown: no \(config == nil ? "built-in example" : "section of the config") holds it"
        }
    }
}

struct LandingOutput: Encodable {
    struct Target: Encodable {
        var kind: String
        var namespace: String?
        var name: String
        var release: String
        var fields: [String]
    }

    var config: String?
    /// `lands`, `inert`, `no-effect`, `no-valid-change`, `not-applicable`.
    var result: String
    var change: String?
    var reason: String?
    var targets: [Target] = []

    init(_ report: KeyLandingReport) {
        config = report.config
        if let inert = report.inert {
            result = "inert"
            reason = inert
            return
        }
        switch report.outcome {
        case .lands(let change, let targets)?:
            result = "lands"
            self.change = change
            self.targets = targets.map { Target(kind: $0.kind, namespace: $0.namespace, name: $0.name, release: $0.release, fields: $0.fields) }
        case .noEffect?: result = "no-effect"
        case .noValidChange?: result = "no-valid-change"
        case .notApplicable?, nil: result = "not-applicable"
        }
    }
}
