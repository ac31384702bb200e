/// Double-quoted text that is valid both as a JSON string and as a YAML double-quoted scalar: `"`, `\` and control
/// characters escaped (`\n`, `\t`, `\r`, else `\uXXXX`, which YAML reads too), everything else as it is.
public enum TextEscaping {
    public static func doubleQuoted(_ s: String) -> String {
        // Most text needs no escape: quote it whole instead of scalar by scalar (a third of a render's time was here).
        var copy = s
        if !copy.withUTF8({ $0.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0x7F || $0 == 0xEF }) }) {
            return "\"" + s + "\""
        }
        var out = "\""
        out.reserveCapacity(s.utf8.count + 2)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F || scalar == "\u{FEFF}":
                let hex = String(scalar.value, radix: 16, uppercase: true)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
