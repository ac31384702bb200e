/// Diagnostic codes of the YAML layer. Stable: documentation and tests refer to them.
public enum YAMLCode {
    public static let syntax = "KILN-Y001"
    public static let duplicateKey = "KILN-Y002"
    public static let tabIndentation = "KILN-Y003"
    public static let aliasBudget = "KILN-Y004"
    public static let tooDeep = "KILN-Y005"
    public static let tooLarge = "KILN-Y006"
    public static let invalidUTF8 = "KILN-Y007"
    public static let emptyDocument = "KILN-Y008"
    public static let multipleDocuments = "KILN-Y009"
    public static let complexKey = "KILN-Y010"
    public static let undefinedAlias = "KILN-Y011"
    public static let unsupportedTag = "KILN-Y012"

    /// One line per code, for `kiln explain KILN-Y00N`.
    public static let summaries: [(code: String, summary: String)] = [
        (syntax, "The file is not well-formed YAML."),
        (duplicateKey, "A mapping names the same key twice; YAML readers disagree on which one wins, so kiln refuses both."),
        (tabIndentation, "A line is indented with a tab; YAML indentation must be spaces."),
        (aliasBudget, "Aliases expand to more nodes than the limit (a \"billion laughs\" file)."),
        (tooDeep, "Sequences and mappings nest deeper than the limit."),
        (tooLarge, "The file is larger than the limit (16 MiB by default), checked before parsing."),
        (invalidUTF8, "The file is not valid UTF-8; the message gives the byte offset."),
        (emptyDocument, "The file holds no document (only blank lines or comments)."),
        (multipleDocuments, "The file holds more than one YAML document where one is expected."),
        (complexKey, "A mapping key is a sequence or mapping; keys must be scalars."),
        (undefinedAlias, "An alias (*name) refers to an anchor (&name) that was not defined before it."),
        (unsupportedTag, "A node carries a tag kiln does not read (only the YAML core tags are accepted)."),
    ]
}
