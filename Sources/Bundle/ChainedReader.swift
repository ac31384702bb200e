import Foundation

/// Files read one after the other as one stream — a tar, or its parts in order — hashing the whole stream and each
/// file as the bytes pass, so checking the checksums costs no second read.
final class ChainedReader {
    let files: [String]
    private var index = 0
    private var fd: Int32 = -1
    private var current = SHA256Hasher()
    private var whole = SHA256Hasher()
    /// The digest of each file read to its end, in order.
    private(set) var fileDigests: [(file: String, digest: Digest)] = []

    init(_ files: [String]) throws {
        self.files = files
        try openNext()
    }

    private func openNext() throws {
        guard index < files.count else { return }
        fd = open(files[index], O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileChunks.Failure.errno("read", files[index]) }
    }

    /// Reads up to `buffer.count` bytes; 0 at the end of the last file.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while index < files.count {
            let n = Foundation.read(fd, buffer.baseAddress, buffer.count)
            if n < 0 { if errno == EINTR { continue }; throw FileChunks.Failure.errno("read", files[index]) }
            if n > 0 {
                let bytes = UnsafeRawBufferPointer(rebasing: buffer[0..<n])
                current.update(bytes)
                whole.update(bytes)
                return n
            }
            close(fd)
            fd = -1
            fileDigests.append((files[index], current.finish()))
            current = SHA256Hasher()
            index += 1
            try openNext()
        }
        return 0
    }

    /// Reads exactly `count` bytes into `buffer`; false at a premature end.
    func readExactly(_ count: Int, into buffer: UnsafeMutableRawBufferPointer) throws -> Bool {
        var done = 0
        while done < count {
            let n = try read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[done..<count]))
            if n == 0 { return false }
            done += n
        }
        return true
    }

    /// The digest of the whole stream, once it has been read to its end.
    func wholeDigest() -> Digest { whole.finish() }

    /// Reads to the end (the tar's closing blocks), so every file's digest is known.
    func drain() throws {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: FileChunks.size, alignment: 16)
        defer { buffer.deallocate() }
        while try read(into: buffer) > 0 {}
    }

    deinit { if fd >= 0 { close(fd) } }
}
