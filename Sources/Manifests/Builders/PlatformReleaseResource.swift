import Schema

/// kiln's `PlatformRelease` custom resource: one per release of a `Platform`, owned by it (deleted with it), reporting
/// that release's state as the reference's HelmRelease columns do. The operator writes both spec (what the Platform
/// says about the release) and status; `kiln suspend RELEASE` sets its `spec.suspend`.
public enum PlatformReleaseResource {
    public static let kind = "PlatformRelease"
    public static let plural = "platformreleases"
    /// The release a PlatformRelease reports (its name may be shortened; this label is the release's name).
    public static let releaseLabel = "kiln.dev/release"
    /// The Platform a PlatformRelease belongs to.
    public static let platformLabel = "kiln.dev/platform"
    /// The reasons its READY condition gives, as its REASON column shows them.
    public enum Reason: String, Sendable, CaseIterable {
        case inSync = "InSync", drifted = "Drifted", progressing = "Progressing", failed = "Failed", stalled = "Stalled"
        case suspended = "Suspended"
    }

    public static func definition(labels: [String: String]) -> ManifestObject {
        typealias S = CRDSchema
        let spec = S.object([
            ("release", S.string("The release's name.")),
            ("platform", S.string("The Platform this release belongs to.")),
            ("suspend", S.boolean("Stop reconciling and correcting this release.", default: false)),
            ("drift", S.object([("mode", S.driftMode), ("ignore", S.driftIgnore)])),
        ], required: ["release", "platform"])
        let status = S.object([
            ("observedGeneration", S.integer),
            ("conditions", S.array(S.condition)),
            ("reason", S.string(enum: Reason.allCases.map(\.rawValue))),
            ("message", S.string()),
            ("objects", S.integer),
            ("drifted", S.array(S.string(), description: "The objects found drifted at the last check.")),
            ("lastDriftChangeTime", S.string("When the drift findings last changed.", format: "date-time")),
        ])
        return S.definition(kind: kind, plural: plural, singular: "platformrelease", shortNames: ["prel"], columns: [
            S.column("Ready", "string", ".status.conditions[?(@.type==\"Ready\")].status"),
            S.column("Reason", "string", ".status.reason"),
            S.column("Message", "string", ".status.message"),
            S.column("Drift Mode", "string", ".spec.drift.mode"),
            S.column("Suspended", "boolean", ".spec.suspend"),
        ], spec: spec, status: status, labels: labels)
    }
}
