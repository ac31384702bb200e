import Foundation

/// One blob on its way into a layout, written in chunks as they arrive (a registry download streams into one). The
/// bytes go to a temporary file beside the blob's place; `commit` checks the digest and renames it there, so a blob
/// path in the layout always holds the bytes its name says. Dropped without `commit`, the temporary file is removed.
public struct BlobWriter: ~Copyable {
    let directory: String
    let temporary: String
    let expected: Digest?
    private var fd: Int32
    private var hasher = SHA256Hasher()

    init(directory: String, expected: Digest?) throws {
        self.directory = directory
        self.expected = expected
        temporary = "\(directory)/.\(expected?.hex ?? "blob").\(UUID().uuidString).kiln-tmp"
        fd = open(temporary, O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileChunks.Failure.errno("write", temporary) }
    }

    public var bytesWritten: Int64 { hasher.count }

    public mutating func append(_ bytes: UnsafeRawBufferPointer) throws {
        try FileChunks.write(fd, bytes, path: temporary)
        hasher.update(bytes)
    }

    public mutating func append(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try append($0) }
    }

    /// Checks the digest and moves the blob into place. A blob already there is kept (it has the same bytes: its name
    /// is their digest) and the new copy discarded. Returns the digest and size.
    public consuming func commit() throws -> (digest: Digest, size: Int64) {
        let size = hasher.count
        let digest = hasher.finish()
        let ok = fsync(fd) == 0
        close(fd)
        fd = -1
        defer { unlink(temporary) }
        guard ok else { throw FileChunks.Failure.errno("write", temporary) }
        if let expected, expected != digest {
            throw OCILayout.Failure(description: "blob \(expected) arrived with digest \(digest): not stored")
        }
        let target = "\(directory)/\(digest.hex)"
        if FileChunks.size(of: target) != size, rename(temporary, target) != 0 {
            throw FileChunks.Failure.errno("store blob", target)
        }
        return (digest, size)
    }

    deinit {
        if fd >= 0 {
            close(fd)
            unlink(temporary)
        }
    }
}
