import Schema

/// The install-config schema kiln validates against, compiled once per process from the embedded copy of
/// `schemas/install-config-1.14.schema.json`.
public enum InstallConfigSchema {
    public static let currentVersion = "1.14"
    /// Schema versions that existed before 1.14 (they need `kiln migrate`).
    public static let olderVersions: Set<String> = Set((0...13).map { "1.\($0)" })
    public static let fileName = "install-config-1.14.schema.json"
    public static let resourcePath = "schemas/" + fileName

    public static let shared: JSONSchema = {
        guard let text = BuiltinResources.text(resourcePath) else {
            fatalError("kiln was built without \(resourcePath)")
        }
        do { return try JSONSchema(text: text) } catch {
            fatalError("the embedded \(resourcePath) does not compile: \(error)")
        }
    }()

    /// A validator that also treats secret-named keys in free-form maps (chart values) as secrets.
    public static var validator: SchemaValidator { validator(for: shared) }

    /// A validator with kiln's conventions for any schema of config values (a release's chart values, say):
    /// secret-named keys are masked, `${env:…}` references and placeholders are checked for type only.
    public static func validator(for schema: JSONSchema) -> SchemaValidator {
        SchemaValidator(schema, assertFormats: true, isSecretPath: { SecretKeys.isSecret($0) },
                        isDeferred: { ValueReference.isReference($0) || Placeholder.isPlaceholder($0) })
    }
}
