import Foundation

/// Reading and writing files in fixed-size chunks with plain file descriptors: blobs are gigabytes, and nothing in a
/// bundle is read whole into memory.
enum FileChunks {
    static let size = 1 << 20

    struct Failure: Error, CustomStringConvertible {
        let description: String
        static func errno(_ what: String, _ path: String) -> Failure {
            Failure(description: "cannot \(what) \(path): \(String(cString: strerror(Foundation.errno)))")
        }
    }

    /// Calls `body` with each chunk of the file, in order.
    static func read(_ path: String, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure.errno("read", path) }
        defer { close(fd) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let n = Foundation.read(fd, buffer.baseAddress, size)
            if n < 0 { if errno == EINTR { continue }; throw Failure.errno("read", path) }
            if n == 0 { return }
            try body(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
        }
    }

    /// Writes all of `bytes` to `fd`.
    static func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws {
        var offset = 0
        while offset < bytes.count {
            let n = Foundation.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 { if errno == EINTR { continue }; throw Failure.errno("write", path) }
            offset += n
        }
    }

    static func size(of path: String) -> Int64? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Int64(info.st_size)
    }
}
