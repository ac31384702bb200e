import Diagnostics

/// Writes `Node` trees as block-style YAML, deterministically: keys in the order the tree holds them, two-space
/// indentation, and strings quoted whenever a YAML 1.1 or 1.2 reader could take them for something else
/// (`"on"`, `"yes"`, `"0755"`, `"1e3"`, `"12:30"`, `"~"` stay strings).
///
/// Comments can be placed before any key or list item: `comments` receives the path of the entry (keys, and
/// `[i]` for list items) and returns the comment lines to write above it.
public struct YAMLEmitter {
    /// nil: no comments (and no key paths built: the emitter runs for every rendered object).
    public var comments: (([String]) -> [String])?
    /// An empty line before every top-level key after the first, when it has a comment (sections read apart).
    public var spaceTopLevelSections: Bool

    public init(comments: (([String]) -> [String])? = nil, spaceTopLevelSections: Bool = false) {
        self.comments = comments
        self.spaceTopLevelSections = spaceTopLevelSections
    }

    public func emit(_ node: Node) -> String {
        var out = ""
        switch node.content {
        case .mapping(let pairs) where !pairs.isEmpty:
            mapping(pairs, indent: 0, path: [], into: &out)
        case .sequence(let items) where !items.isEmpty:
            sequence(items, indent: 0, path: [], into: &out)
        default:
            out = inline(node) + "\n"
        }
        return out
    }

    private func mapping(_ pairs: [Pair], indent: Int, path: [String], into out: inout String) {
        let pad = String(repeating: " ", count: indent)
        for (i, pair) in pairs.enumerated() {
            let keyPath = comments == nil ? path : path + [pair.name]
            if let comments {
                let notes = comments(keyPath)
                if spaceTopLevelSections, indent == 0, i > 0, !notes.isEmpty { out += "\n" }
                for line in notes { out += pad + (line.isEmpty ? "#" : "# " + line) + "\n" }
            }
            out += pad + YAMLEmitter.key(pair.name) + ":"
            value(pair.value, indent: indent, path: keyPath, into: &out)
        }
    }

    private func sequence(_ items: [Node], indent: Int, path: [String], into out: inout String) {
        let pad = String(repeating: " ", count: indent)
        for (i, item) in items.enumerated() {
            let itemPath = comments == nil ? path : path + ["[\(i)]"]
            if let comments {
                for line in comments(itemPath) { out += pad + "# " + line + "\n" }
            }
            switch item.content {
            case .mapping(let pairs) where !pairs.isEmpty:
                // `- first: …` then the other keys aligned under it.
                var nested = ""
                mapping(pairs, indent: indent + 2, path: itemPath, into: &nested)
                out += pad + "- " + nested.dropFirst(indent + 2)
            case .sequence(let inner) where !inner.isEmpty:
                out += pad + "-\n"
                sequence(inner, indent: indent + 2, path: itemPath, into: &out)
            default:
                out += pad + "-"
                value(item, indent: indent, path: itemPath, into: &out)
            }
        }
    }

    /// What follows `key:` or `-`: a space and a scalar, or a newline and a nested block.
    private func value(_ node: Node, indent: Int, path: [String], into out: inout String) {
        switch node.content {
        case .mapping(let pairs) where !pairs.isEmpty:
            out += "\n"
            mapping(pairs, indent: indent + 2, path: path, into: &out)
        case .sequence(let items) where !items.isEmpty:
            out += "\n"
            sequence(items, indent: indent + 2, path: path, into: &out)
        case .scalar(let s) where s.text.utf8.contains(0x0A):
            out += " " + YAMLEmitter.literalBlock(s.text, indent: indent + 2)
        default:
            out += " " + inline(node) + "\n"
        }
    }

    private func inline(_ node: Node) -> String {
        switch node.content {
        case .mapping: return "{}"
        case .sequence: return "[]"
        case .scalar(let s): return YAMLEmitter.scalar(s)
        }
    }

    // MARK: - Scalars

    /// A scalar as it must be written: plain scalars stay plain where YAML reads them back the same; strings that a
    /// reader could mistake for another type, or that hold YAML syntax, are double-quoted.
    public static func scalar(_ s: Scalar) -> String {
        if s.isPlain {
            return isPlainSafe(s.text) ? s.text : quoted(s.text)
        }
        return isPlainSafe(s.text) && !isAmbiguous(s.text) ? s.text : quoted(s.text)
    }

    public static func key(_ k: String) -> String {
        isPlainSafe(k) && !isAmbiguous(k) ? k : quoted(k)
    }

    /// Could a YAML 1.1 or 1.2 reader resolve this plain text to a null, boolean or number?
    public static func isAmbiguous(_ s: String) -> Bool {
        var s = s
        return s.withUTF8(isAmbiguous)
    }

    /// `isAmbiguous` of UTF-8 text (the manifest writer looks at a string's bytes once for every check).
    public static func isAmbiguous(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        // The words are at most five bytes: longer text skips the lookup, and shorter text is looked up as one
        // integer (hashing a string per key and value written was a tenth of the YAML writer's time).
        if bytes.count <= 5, packedAmbiguousWords.contains(packed(bytes)) { return true }
        guard let first = bytes.first else { return true }
        // Every YAML number (1.1's 0755, 1_000, 12:30, 0b101; 1.2's 0o17, 0x1F, 1e3, .5) starts with one of these
        // and uses only these characters. Quoting a few strings too many is harmless; too few is not.
        if (first >= 0x30 && first <= 0x39) || first == UInt8(ascii: "+") || first == UInt8(ascii: "-") || first == UInt8(ascii: ".") {
            return bytes.allSatisfy { numberCharacters[Int($0)] }
        }
        return false
    }

    /// Bytes that can appear in a YAML 1.1 or 1.2 number (a lookup table: this runs for every scalar written).
    static let numberCharacters: [Bool] = (0..<256).map { b in
        "0123456789_+-.:eEoOxXbBabcdefABCDEF".utf8.contains(UInt8(b))
    }

    /// Up to seven bytes as one integer, with its length (so "" and "\0" differ).
    static func packed<C: Collection<UInt8>>(_ bytes: C) -> UInt64 {
        var word = UInt64(bytes.count) << 56
        for (i, b) in bytes.enumerated() { word |= UInt64(b) << (8 * UInt64(i)) }
        return word
    }

    /// `ambiguousWords` packed and sorted, for a binary search.
    static let packedAmbiguousWords = PackedWords(ambiguousWords.map { packed(Array($0.utf8)) })

    static let ambiguousWords: Set<String> = [
        "", "~", "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE",
        "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF",
        "=", "<<", ".inf", ".Inf", ".INF", ".nan", ".NaN", ".NAN",
    ]

    /// Can this text be written as a plain scalar and read back as the same text? One pass over the bytes: this
    /// runs for every key and value kiln writes.
    public static func isPlainSafe(_ s: String) -> Bool {
        var s = s
        return s.withUTF8(isPlainSafe)
    }

    public static func isPlainSafe(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = bytes.first, let last = bytes.last else { return false }
        switch first {
        case UInt8(ascii: "-"), UInt8(ascii: "?"), UInt8(ascii: ":"):
            // `-x`, `?x`, `:x` are fine when not followed by a space.
            guard bytes.count > 1, bytes[1] != UInt8(ascii: " ") else { return false }
        case UInt8(ascii: ","), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "#"),
             UInt8(ascii: "&"), UInt8(ascii: "*"), UInt8(ascii: "!"), UInt8(ascii: "|"), UInt8(ascii: ">"), UInt8(ascii: "'"),
             UInt8(ascii: "\""), UInt8(ascii: "%"), UInt8(ascii: "@"), UInt8(ascii: "`"), UInt8(ascii: " "):
            return false
        default:
            break
        }
        if last == UInt8(ascii: " ") || last == UInt8(ascii: ":") { return false }
        var previous: UInt8 = 0
        var bomState = 0
        for b in bytes {
            // Most bytes (letters, digits, `-./_`) need none of the checks below: one table lookup passes them.
            if !needsCheck[Int(b)] {
                previous = b
                bomState = 0
                continue
            }
            if b < 0x20 || b == 0x7F { return false }
            if b == UInt8(ascii: " "), previous == UInt8(ascii: ":") { return false }
            if b == UInt8(ascii: "#"), previous == UInt8(ascii: " ") { return false }
            // U+FEFF is EF BB BF.
            if b >= 0xBB { bomState = b == 0xEF ? 1 : (bomState == 1 && b == 0xBB ? 2 : (bomState == 2 && b == 0xBF ? 3 : 0)) } else { bomState = 0 }
            if bomState == 3 { return false }
            previous = b
        }
        return true
    }

    /// The bytes `isPlainSafe`'s loop looks at more closely: controls, space, `#`, `:` and the bytes of U+FEFF.
    static let needsCheck: [Bool] = (0..<256).map { (b: Int) in
        b < 0x20 || b == 0x7F || b == 0x20 || b == 0x23 || b == 0x3A || b >= 0xBB  // space # :
    }

    /// A double-quoted scalar (JSON-style escapes, which YAML reads too).
    public static func quoted(_ s: String) -> String { TextEscaping.doubleQuoted(s) }

    /// `|` block for multi-line text (a PEM bundle stays readable). Falls back to quoting what a block cannot hold.
    public static func literalBlock(_ text: String, indent: Int) -> String {
        let pad = String(repeating: " ", count: indent)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let hasTrailingNewline = text.hasSuffix("\n")
        let body = hasTrailingNewline ? lines.dropLast() : lines[...]
        if body.contains(where: { $0.hasSuffix(" ") || $0.contains("\t") || $0.contains("\r") })
            || text.hasSuffix("\n\n") || body.first?.hasPrefix(" ") == true || body.isEmpty {
            return quoted(text) + "\n"
        }
        var out = hasTrailingNewline ? "|\n" : "|-\n"
        for line in body { out += line.isEmpty ? "\n" : pad + line + "\n" }
        return out
    }
}

/// A small set of packed words, searched by halving (no hashing).
struct PackedWords: Sendable {
    private let sorted: [UInt64]

    init(_ words: [UInt64]) { sorted = words.sorted() }

    func contains(_ word: UInt64) -> Bool {
        var low = 0, high = sorted.count
        while low < high {
            let mid = (low + high) / 2
            if sorted[mid] == word { return true }
            if sorted[mid] < word { low = mid + 1 } else { high = mid }
        }
        return false
    }
}
