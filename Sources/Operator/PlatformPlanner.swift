import Apply
import Config
import Diagnostics
import Manifests
import Platform
import Schema

/// What a reconcile applies: the render of a Platform's config and the inventory it is recorded in.
public struct PlatformPlan: Sendable {
    public let result: RenderResult
    public let inventory: ApplySet

    public init(result: RenderResult, inventory: ApplySet) {
        self.result = result
        self.inventory = inventory
    }

    /// A digest of what the render holds (each release's config revision), reported as `status.appliedRevision`.
    public var revision: String {
        let labels = Set(result.objects.map { "\($0.release)=\($0.labels[ObjectLabels.configRevision] ?? Digest.hex($0.json.jsonText))" })
        return Digest.hex(labels.sorted().joined(separator: ","))
    }
}

/// A config the operator cannot render: what is wrong, as the status says it.
public struct PlanFailure: Error, Sendable, CustomStringConvertible {
    public let reason: String
    public let message: String
    public var description: String { message }

    public init(reason: String, message: String) {
        self.reason = reason
        self.message = message
    }
}

/// Config → plan. The operator's is `ConfigPlanner` (validation and the renderer `kiln apply` uses); tests and the
/// live suite give a small one.
public protocol PlatformPlanner: Sendable {
    func plan(_ platform: PlatformObject, secrets: SecretValues) throws -> PlatformPlan
}

/// The Platform's config validated as `kiln validate` does (schema 1.14, the rules, the catalog's checks), then
/// rendered as `kiln apply` renders it.
public struct ConfigPlanner: PlatformPlanner {
    public init() {}

    public func plan(_ platform: PlatformObject, secrets: SecretValues) throws -> PlatformPlan {
        let name = "Platform \(platform.namespace)/\(platform.name) spec.config"
        let report = PlatformChecks.validate(ConfigFile.parse(platform.config.jsonText, name: name))
        let errors = report.diagnostics.filter { $0.severity == .error }
        guard report.isValid, let root = report.config.root else {
            throw PlanFailure(reason: "ConfigInvalid", message: Self.summary(errors, total: errors.count))
        }
        let config = ConfigView(root)
        let result = PlatformRenderer.render(config, secrets: secrets)
        let failed = result.diagnostics.filter { $0.severity == .error }
        guard failed.isEmpty else {
            let secret = failed.contains { $0.code == SecretValues.missingSecret }
            throw PlanFailure(reason: secret ? "SecretMissing" : "RenderFailed", message: Self.summary(failed, total: failed.count))
        }
        return PlatformPlan(result: result, inventory: ApplySet(namespace: PlatformRenderer.systemNamespace(config)))
    }

    /// The first three problems, each with its path, and how many more: a status message, not a report.
    static func summary(_ diagnostics: [Diagnostic], total: Int) -> String {
        let shown = diagnostics.prefix(3).map { d in (d.path.isEmpty ? "" : "\(d.path): ") + d.message }
        return shown.joined(separator: "; ") + (total > 3 ? " (and \(total - 3) more)" : "")
    }
}
