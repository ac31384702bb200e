import Foundation

/// One blob on its way into a layout, written in chunks as they arrive (a registry download streams into one). The
/// bytes go to a temporary file beside the blob's place; `commit` checks the digest and renames it there, so a blob
/// path in the layout always holds the bytes its name says. Dropped without `commit`, the temporary file is removed —
/// unless the writer is resumable: then it is `.<hex>.partial`, kept when a transfer breaks off (an error, a cancel, a
/// killed process), and the next writer for that digest starts where it ended (`bytesWritten`), so a download
/// continues with a `Range` request instead of starting again. The partial file is locked while written (`flock`), so
/// a second kiln on the same bundle writes a temporary file of its own instead.
public struct BlobWriter: ~Copyable {
    let directory: String
    let temporary: String
    let expected: Digest?
    /// Whether the temporary file survives a writer dropped without `commit`.
    let keepsPartial: Bool
    /// Bytes that were already in the partial file when the writer opened it.
    public private(set) var resumedFrom: Int64 = 0
    private var fd: Int32
    private var hasher = SHA256Hasher()

    init(directory: String, expected: Digest?, resumable: Bool = false) throws {
        let (path, descriptor, received, kept) = try Self.open(directory, expected, resumable: resumable)
        self.directory = directory
        self.expected = expected
        temporary = path
        fd = descriptor
        keepsPartial = kept
        hasher = received
        resumedFrom = received.count
    }

    /// The file to write: the locked partial file (and what it holds, hashed) or a fresh temporary file.
    private static func open(_ directory: String, _ expected: Digest?, resumable: Bool) throws
        -> (path: String, fd: Int32, received: SHA256Hasher, kept: Bool) {
        if resumable, let expected {
            let partial = partialPath(directory, expected)
            let descriptor = Foundation.open(partial, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
            if descriptor >= 0, flock(descriptor, LOCK_EX | LOCK_NB) == 0 {
                var received = SHA256Hasher()
                do { try FileChunks.read(partial) { received.update($0) } } catch {
                    close(descriptor)
                    throw error
                }
                lseek(descriptor, 0, SEEK_END)
                return (partial, descriptor, received, true)
            }
            if descriptor >= 0 { close(descriptor) }
        }
        let temporary = "\(directory)/.\(expected?.hex ?? "blob").\(UUID().uuidString).kiln-tmp"
        let descriptor = Foundation.open(temporary, O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw FileChunks.Failure.errno("write", temporary) }
        return (temporary, descriptor, SHA256Hasher(), false)
    }

    /// Where an interrupted download of `digest` leaves what it received.
    static func partialPath(_ directory: String, _ digest: Digest) -> String { "\(directory)/.\(digest.hex).partial" }

    public var bytesWritten: Int64 { hasher.count }

    /// Drops what was written so far (the server sent the whole blob instead of the range asked for).
    public mutating func restart() throws {
        guard ftruncate(fd, 0) == 0, lseek(fd, 0, SEEK_SET) == 0 else { throw FileChunks.Failure.errno("truncate", temporary) }
        hasher = SHA256Hasher()
        resumedFrom = 0
    }

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
            if !keepsPartial { unlink(temporary) }
            close(fd)
        }
    }
}
