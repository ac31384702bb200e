/// A short, stable digest of rendered content (FNV-1a, 64 bits, as 16 hex digits): for revision labels and the
/// annotations that roll pods when what they read changes. Not a security hash; secrets are never digested.
enum ContentDigest {
    static func of(_ text: String) -> String {
        var hash: UInt64 = 0xcbf29ce484222325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x100000001b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
