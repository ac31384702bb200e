/// A content digest as OCI writes it: `sha256:` and 64 lowercase hex digits. kiln stores and checks SHA-256 only
/// (what registries and the OCI layout use); anything else is refused rather than trusted unchecked.
public struct Digest: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let hex: String

    public struct Invalid: Error, CustomStringConvertible {
        public let text: String
        public var description: String { "\(text.isEmpty ? "an empty string" : "`\(text)`") is not a digest (sha256: and 64 hex digits)" }
    }

    public init(parsing text: String) throws {
        guard text.hasPrefix("sha256:") else { throw Invalid(text: text) }
        let hex = text.dropFirst("sha256:".count)
        guard hex.utf8.count == 64, hex.utf8.allSatisfy(Self.isLowerHex) else { throw Invalid(text: text) }
        self.hex = String(hex)
    }

    /// From the 32 bytes of a SHA-256.
    public init(bytes: [UInt8]) {
        precondition(bytes.count == 32, "SHA-256 is 32 bytes")
        let digits = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        text.reserveCapacity(64)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        hex = String(decoding: text, as: UTF8.self)
    }

    public var description: String { "sha256:\(hex)" }

    public static func < (a: Digest, b: Digest) -> Bool { a.hex < b.hex }

    static func isLowerHex(_ c: UInt8) -> Bool { (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) }
}
