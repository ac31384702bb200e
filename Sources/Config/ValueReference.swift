/// `${env:NAME}`, `${file:PATH}` and `${secret:NAME/KEY}`: a value that the config names instead of holding, so the
/// file itself keeps no secret. Validation checks where a reference stands, not its form; the value is resolved when
/// it is used. `${secret:NAME/KEY}` is key KEY of the Kubernetes Secret NAME in the operator's namespace: the form a
/// `Platform` resource uses, since the operator has neither the admin's environment nor files.
public enum ValueReference {
    public static func isReference(_ text: String) -> Bool {
        guard text.hasPrefix("${"), text.hasSuffix("}"), text.count > 3 else { return false }
        let inner = text.dropFirst(2).dropLast()
        if inner.hasPrefix("env:") {
            let name = inner.dropFirst(4)
            return !name.isEmpty && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
        }
        if inner.hasPrefix("secret:") { return secret(text) != nil }
        return inner.hasPrefix("file:") && inner.count > 5
    }

    /// The Secret and key of a `${secret:NAME/KEY}` reference; nil for any other text. NAME is a Secret's name (a DNS
    /// subdomain: lower-case letters, digits, `-` and `.`), KEY one of its data keys (letters, digits, `-`, `_`, `.`).
    public static func secret(_ text: String) -> (name: String, key: String)? {
        guard text.hasPrefix("${secret:"), text.hasSuffix("}") else { return nil }
        let parts = text.dropFirst(9).dropLast().split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, parts[0].count <= 253,
              parts[0].allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-" || $0 == ".") }),
              parts[1].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) else { return nil }
        return (String(parts[0]), String(parts[1]))
    }
}
