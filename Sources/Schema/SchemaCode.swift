/// Diagnostic codes of schema validation. Stable: documentation and tests refer to them.
public enum SchemaCode {
    public static let type = "KILN-S001"
    public static let notAllowedValue = "KILN-S002"
    public static let pattern = "KILN-S003"
    public static let range = "KILN-S004"
    public static let size = "KILN-S005"
    public static let required = "KILN-S006"
    public static let unknownKey = "KILN-S007"
    public static let composition = "KILN-S008"
    public static let dependency = "KILN-S009"
    public static let items = "KILN-S010"
    public static let legacyBoolean = "KILN-S011"
    public static let keyName = "KILN-S012"
    public static let deprecated = "KILN-S013"

    public static let summaries: [(code: String, summary: String)] = [
        (type, "A value has the wrong type (a string where a boolean is expected, a list where a mapping is …)."),
        (notAllowedValue, "A value is not one of the allowed values."),
        (pattern, "A string does not have the required form (a Kubernetes name, an FQDN, a CIDR, a duration, a quantity …)."),
        (range, "A number is outside its allowed range."),
        (size, "A string, list or mapping is too short or too long."),
        (required, "A required key is missing."),
        (unknownKey, "A key is not part of the schema (often a typo: the message suggests the closest key)."),
        (composition, "A value matches none (or more than one) of the forms the schema allows."),
        (dependency, "A key needs another key that is missing."),
        (items, "A list breaks a rule about its items (duplicates, a required kind of item)."),
        (legacyBoolean, "A boolean is written in a YAML 1.1 form (yes/no/on/off); it is read as a boolean, but write true/false."),
        (keyName, "A key's name does not have the required form."),
        (deprecated, "A key is deprecated; the message says what replaces it."),
    ]
}
