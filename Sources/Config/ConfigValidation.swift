import Diagnostics
import Schema

/// Everything `kiln validate` reports for one config.
public struct ValidationReport: Sendable {
    /// The user's file, as named on the command line.
    public let name: String
    /// Sorted by file and position, each attributed to the file that wrote the value (a preset's or the user's).
    public let diagnostics: [Diagnostic]
    /// The text of every file involved, for source snippets.
    public let sources: [String: SourceText]
    /// The merged config, when it could be loaded.
    public let config: LoadedConfig

    public var isValid: Bool { !diagnostics.hasErrors }

    public func passes(strict: Bool) -> Bool {
        strict ? diagnostics.isEmpty : isValid
    }
}

/// The validate stage: schema version → schema 1.14 → semantic rules → placeholders, collecting every problem in
/// one pass.
public enum ConfigValidation {
    /// Later stages' checks of the merged config (the release catalog's), run after kiln's own.
    public typealias Check = @Sendable (Instance) -> [Diagnostic]

    public static func validate(_ config: LoadedConfig, also checks: [Check] = []) -> ValidationReport {
        var out = config.diagnostics
        if let layered = config.layered, !out.hasErrors {
            var found = validate(layered.root)
            if found.allSatisfy({ $0.code != ConfigCode.olderSchema && $0.code != ConfigCode.unknownSchema }) {
                found += checks.flatMap { $0(layered.root) }.map(maskingSecrets)
            }
            out += found.map { d in
                guard d.file == nil else { return d }
                return d.inFile(layered.file(for: KeyPath(parsing: d.path)) ?? config.name)
            }
        }
        let attributed = out.map { $0.file == nil ? $0.inFile(config.name) : $0 }
        return ValidationReport(name: config.name, diagnostics: attributed.sortedForOutput(), sources: config.sources,
                                config: config)
    }

    public static func validate(_ file: ConfigFile) -> ValidationReport {
        validate(ConfigLoader.load(file))
    }

    public static func validate(path: String) -> ValidationReport {
        validate(ConfigLoader.load(ConfigRequest(path: path)))
    }

    public static func validate(_ request: ConfigRequest) -> ValidationReport {
        validate(ConfigLoader.load(request))
    }

    /// Schema and rules for a parsed document.
    public static func validate(_ root: Instance) -> [Diagnostic] {
        if let version = schemaVersionProblem(root) { return [version] }
        var out = InstallConfigSchema.validator.validate(root)
        if root.members != nil {
            out += SemanticRules.check(ConfigView(root))
        }
        out += Placeholder.diagnostics(in: root)
        return out.map(maskingSecrets)
    }

    /// Marks every diagnostic about a secret key, whichever stage reported it, so no renderer shows its line.
    static func maskingSecrets(_ d: Diagnostic) -> Diagnostic {
        guard !d.secretValue, !d.path.isEmpty else { return d }
        let path = KeyPath(parsing: d.path)
        let writeOnly = InstallConfigSchema.shared.node(at: path).map {
            SchemaNavigation.applicators($0).contains { $0.writeOnly }
        } ?? false
        guard writeOnly || SecretKeys.isSecret(path) else { return d }
        var masked = d
        masked.secretValue = true
        return masked
    }

    /// An older or unknown `schema:` value stops validation: the 1.14 rules would only add noise.
    static func schemaVersionProblem(_ root: Instance) -> Diagnostic? {
        guard let member = root.members?.first(where: { $0.key == "schema" }), let version = member.value.text else { return nil }
        if version == InstallConfigSchema.currentVersion { return nil }
        if InstallConfigSchema.olderVersions.contains(version) {
            return .error(ConfigCode.olderSchema,
                          "this config is written for schema \(version); kiln validates schema \(InstallConfigSchema.currentVersion)",
                          at: member.value.location, path: "schema",
                          notes: ["keys were renamed and moved between schema versions, so a \(version) config must be migrated"],
                          help: "migrate it to \(InstallConfigSchema.currentVersion) with `kiln migrate FILE`")
        }
        return .error(ConfigCode.unknownSchema, "unknown schema version `\(version)`", at: member.value.location, path: "schema",
                      help: "kiln reads schema \(InstallConfigSchema.currentVersion); a newer schema needs a newer kiln")
    }
}
