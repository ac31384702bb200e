/// Diagnostic codes of rendering. Stable: documentation and tests refer to them.
public enum RenderCode {
    public static let missingVariable = "KILN-M001"
    public static let unreadableFile = "KILN-M002"
    public static let duplicateObject = "KILN-M003"
    public static let literalSecretInResource = "KILN-M004"
    public static let missingSecret = "KILN-M005"

    public static let summaries: [(code: String, summary: String)] = [
        (missingVariable, "A `${env:NAME}` value is needed for a rendered object and the variable is not set; nothing is written."),
        (unreadableFile, "A `${file:PATH}` value is needed for a rendered object and the file cannot be read; nothing is written."),
        (duplicateObject, "Two rendered objects have the same kind, namespace and name (a kiln bug: please report it)."),
        (literalSecretInResource, "`--export-cr` found a literal secret in the config; the exported resource would carry it."),
        (missingSecret, "A `${secret:NAME/KEY}` value is needed and the Secret or its key is missing (or kiln runs outside the operator)."),
    ]
}
