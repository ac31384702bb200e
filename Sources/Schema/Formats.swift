import Foundation

/// The `format` values kiln asserts. Unknown formats pass, as the specification asks.
enum Formats {
    static func check(_ format: String, _ s: String) -> Bool {
        switch format {
        case "hostname": return isHostname(s)
        case "ipv4": return isIPv4(s)
        case "email": return isEmail(s)
        case "uri": return isURI(s)
        default: return true
        }
    }

    static func describe(_ format: String) -> String {
        switch format {
        case "hostname": return "hostname (fully qualified domain name)"
        case "ipv4": return "IPv4 address"
        case "email": return "email address"
        case "uri": return "URI"
        default: return format
        }
    }

    /// RFC 1123 host name: dot-separated labels of letters, digits and inner hyphens, each at most 63 long.
    static func isHostname(_ s: String) -> Bool {
        guard !s.isEmpty, s.utf8.count <= 253 else { return false }
        let trimmed = s.hasSuffix(".") ? String(s.dropLast()) : s
        return trimmed.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            guard (1...63).contains(label.count), label.first != "-", label.last != "-" else { return false }
            return label.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-") }
        }
    }

    static func isIPv4(_ s: String) -> Bool {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { p in
            guard (1...3).contains(p.count), p.allSatisfy({ $0.isASCII && $0.isNumber }), let v = Int(p) else { return false }
            return v <= 255 && (p.count == 1 || p.first != "0")
        }
    }

    static func isEmail(_ s: String) -> Bool {
        let parts = s.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && !parts[0].contains(" ") && isHostname(String(parts[1]))
    }

    static func isURI(_ s: String) -> Bool {
        guard let colon = s.firstIndex(of: ":"), colon != s.startIndex else { return false }
        return s[..<colon].allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }
            && !s.contains(" ")
    }
}
