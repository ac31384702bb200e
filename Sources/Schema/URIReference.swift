import Foundation

/// The bits of RFC 3986 reference resolution that `$id` and `$ref` need.
enum URIReference {
    static func stripFragment(_ uri: String) -> String {
        uri.firstIndex(of: "#").map { String(uri[..<$0]) } ?? uri
    }

    static func hasScheme(_ s: String) -> Bool {
        guard let colon = s.firstIndex(of: ":"), let first = s.first, first.isLetter else { return false }
        return s[..<colon].allSatisfy { $0.isLetter || $0.isNumber || "+-.".contains($0) }
    }

    static func resolve(_ ref: String, against base: String) -> String {
        if hasScheme(ref) { return ref }
        if ref.hasPrefix("#") { return stripFragment(base) + ref }
        let baseNoFragment = stripFragment(base)
        guard let schemeEnd = baseNoFragment.range(of: "://") else {
            // A URN or other base without a hierarchy: only fragments resolve against it.
            return ref
        }
        let scheme = baseNoFragment[..<schemeEnd.lowerBound]
        let afterScheme = baseNoFragment[schemeEnd.upperBound...]
        let authorityEnd = afterScheme.firstIndex(of: "/") ?? afterScheme.endIndex
        let authority = afterScheme[..<authorityEnd]
        let basePath = String(afterScheme[authorityEnd...])
        if ref.hasPrefix("//") { return scheme + ":" + ref }
        let (refPath, suffix) = split(ref)
        let merged: String
        if refPath.hasPrefix("/") {
            merged = refPath
        } else if refPath.isEmpty {
            merged = basePath
        } else {
            let dir = basePath.lastIndex(of: "/").map { String(basePath[...$0]) } ?? "/"
            merged = dir + refPath
        }
        return scheme + "://" + authority + removeDotSegments(merged) + suffix
    }

    private static func split(_ ref: String) -> (String, String) {
        if let i = ref.firstIndex(where: { $0 == "#" || $0 == "?" }) { return (String(ref[..<i]), String(ref[i...])) }
        return (ref, "")
    }

    private static func removeDotSegments(_ path: String) -> String {
        var out: [Substring] = []
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        for (i, s) in segments.enumerated() {
            if s == "." { if i == segments.count - 1 { out.append("") }; continue }
            if s == ".." {
                if out.count > 1 { out.removeLast() }
                if i == segments.count - 1 { out.append("") }
                continue
            }
            out.append(s)
        }
        return out.joined(separator: "/")
    }

    /// A JSON pointer token: `~1` is `/`, `~0` is `~`, and %-escapes are decoded.
    static func unescapePointerToken(_ token: String) -> String {
        var bytes: [UInt8] = []
        var it = Array(token.utf8)[...]
        while let b = it.popFirst() {
            if b == UInt8(ascii: "%"), it.count >= 2,
               let v = UInt8(String(decoding: it.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(v)
                it = it.dropFirst(2)
            } else {
                bytes.append(b)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
            .replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
    }
}
