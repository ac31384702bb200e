/// Diagnostic codes about the config file as a whole. Stable: documentation and tests refer to them.
public enum ConfigCode {
    public static let olderSchema = "KILN-C001"
    public static let unknownSchema = "KILN-C002"
    public static let unreadable = "KILN-C003"
    public static let placeholder = "KILN-C004"
    public static let unknownPreset = "KILN-C005"
    public static let badFlag = "KILN-C006"

    public static let summaries: [(code: String, summary: String)] = [
        (olderSchema, "The config is written for an older schema version; it must be migrated to 1.14 first."),
        (unknownSchema, "The config names a schema version kiln does not know (newer than this kiln, or not a version)."),
        (unreadable, "The file cannot be read (missing, a directory, no permission)."),
        (placeholder, "A value the user must supply is still the placeholder `kiln init` wrote (`<FILL IN: …>`)."),
        (unknownPreset, "The config (or --preset) names a preset kiln does not have."),
        (badFlag, "A `--set KEY=VALUE` flag is not well-formed."),
    ]
}
