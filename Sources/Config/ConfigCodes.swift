/// Diagnostic codes about the config file as a whole. Stable: documentation and tests refer to them.
public enum ConfigCode {
    public static let olderSchema = "KILN-C001"
    public static let unknownSchema = "KILN-C002"
    public static let unreadable = "KILN-C003"

    public static let summaries: [(code: String, summary: String)] = [
        (olderSchema, "The config is written for an older schema version; it must be migrated to 1.14 first."),
        (unknownSchema, "The config names a schema version kiln does not know (newer than this kiln, or not a version)."),
        (unreadable, "The file cannot be read (missing, a directory, no permission)."),
    ]
}
