import Diagnostics
import Schema

/// Everything `kiln validate` reports for one file.
public struct ValidationReport: Sendable {
    public let file: ConfigFile
    /// Sorted by position, each attributed to the file.
    public let diagnostics: [Diagnostic]

    public var isValid: Bool { !diagnostics.hasErrors }

    public func passes(strict: Bool) -> Bool {
        strict ? diagnostics.isEmpty : isValid
    }
}

/// The validate stage: schema version → schema 1.14 → semantic rules, collecting every problem in one pass.
public enum ConfigValidation {
    public static func validate(_ file: ConfigFile) -> ValidationReport {
        var out = file.diagnostics
        if let root = file.root, !out.hasErrors {
            out += validate(root)
        }
        return ValidationReport(file: file, diagnostics: out.map { $0.file == nil ? $0.inFile(file.name) : $0 }.sortedForOutput())
    }

    public static func validate(path: String) -> ValidationReport {
        validate(ConfigFile.load(path: path))
    }

    /// Schema and rules for a parsed document.
    public static func validate(_ root: Instance) -> [Diagnostic] {
        if let version = schemaVersionProblem(root) { return [version] }
        var out = InstallConfigSchema.validator.validate(root)
        if root.members != nil {
            out += SemanticRules.check(ConfigView(root))
        }
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
