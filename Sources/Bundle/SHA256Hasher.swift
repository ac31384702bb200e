import CCrypto
import Foundation

/// SHA-256 over bytes that arrive in pieces (a blob being downloaded, a file read in chunks, a tar being written), so
/// nothing is ever held whole in memory to be hashed.
public struct SHA256Hasher: Sendable {
    /// A class so that copies of the hasher share one context: the OpenSSL state is not a value.
    final class Context: @unchecked Sendable {
        var state = SHA256_CTX()
        init() { SHA256_Init(&state) }
    }

    private var context = Context()
    public private(set) var count: Int64 = 0

    public init() {}

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        SHA256_Update(&context.state, base, bytes.count)
        count += Int64(bytes.count)
    }

    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// The digest of everything so far; the hasher is spent afterwards.
    public mutating func finish() -> Digest {
        var out = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        SHA256_Final(&out, &context.state)
        return Digest(bytes: out)
    }

    public static func digest(_ bytes: [UInt8]) -> Digest {
        var hasher = SHA256Hasher()
        hasher.update(bytes)
        return hasher.finish()
    }

    /// The digest and size of a file, read in chunks.
    public static func digest(ofFile path: String) throws -> (digest: Digest, size: Int64) {
        var hasher = SHA256Hasher()
        try FileChunks.read(path) { hasher.update($0) }
        return (hasher.finish(), hasher.count)
    }
}
