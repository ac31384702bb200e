import Schema

/// A short, stable digest of rendered content (FNV-1a, 64 bits, as 16 hex digits): for revision labels and the
/// annotations that roll pods when what they read changes. Not a security hash; secrets are never digested.
///
/// It hashes a JSON tree as it walks it (a tag byte per node, strings' UTF-8 as they are), so digesting every rendered
/// object costs no text building or escaping.
struct ContentDigest {
    private var hash: UInt64 = 0xcbf29ce484222325

    static func of(_ text: String) -> String {
        var digest = ContentDigest()
        digest.add(text)
        return digest.hex
    }

    mutating func add(byte: UInt8) {
        hash ^= UInt64(byte)
        hash &*= 0x100000001b3
    }

    mutating func add(_ text: String) {
        var text = text
        var hash = self.hash
        text.withUTF8 { bytes in
            for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100000001b3 }
        }
        self.hash = hash
        add(byte: 0xFF)  // not UTF-8: ends a string unambiguously
    }

    mutating func add(_ value: JSONValue) {
        switch value {
        case .null: add(byte: 0xF0)
        case .bool(let b): add(byte: b ? 0xF1 : 0xF2)
        case .number(let n):
            add(byte: 0xF3)
            withUnsafeBytes(of: n.bitPattern.littleEndian) { for byte in $0 { add(byte: byte) } }
        case .string(let s):
            add(byte: 0xF4)
            add(s)
        case .array(let items):
            add(byte: 0xF5)
            for item in items { add(item) }
            add(byte: 0xF6)
        case .object(let members):
            add(byte: 0xF7)
            add(members: members)
            add(byte: 0xF8)
        }
    }

    /// The digest of `object.json`, without joining its head and body into one copy.
    mutating func add(_ object: ManifestObject) {
        add(byte: 0xF7)
        add(members: object.head)
        add(members: object.body)
        add(byte: 0xF8)
    }

    /// An object's members, without its brackets.
    private mutating func add(members: [(String, JSONValue)]) {
        for (key, value) in members {
            add(key)
            add(value)
        }
    }

    var hex: String {
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
