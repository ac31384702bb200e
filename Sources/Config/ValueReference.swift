/// `${env:NAME}` and `${file:PATH}`: a value that the config names instead of holding, so the file itself keeps no
/// secret. Validation checks where a reference stands, not its form; the value is resolved when it is used.
public enum ValueReference {
    public static func isReference(_ text: String) -> Bool {
        guard text.hasPrefix("${"), text.hasSuffix("}"), text.count > 3 else { return false }
        let inner = text.dropFirst(2).dropLast()
        if inner.hasPrefix("env:") {
            let name = inner.dropFirst(4)
            return !name.isEmpty && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
        }
        return inner.hasPrefix("file:") && inner.count > 5
    }
}
