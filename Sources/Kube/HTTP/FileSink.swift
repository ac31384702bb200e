import Foundation

/// A response body written straight to disk as it arrives, for blobs too large for memory: into a temporary file
/// beside the destination, renamed over it once the whole body arrived (so a failed download leaves no partial
/// file). Only a 2xx body goes to the file; any other status keeps its (error) body in memory, capped.
final class FileSink: TransferSink, @unchecked Sendable {
    private let destination: String
    private let temporary: String
    private var descriptor: Int32 = -1
    private var received: HTTPResponseHead?
    private var errorBody: [UInt8] = []
    private var failure: HTTPError?
    private let continuation: CheckedContinuation<HTTPResponse, Error>
    private static let errorBodyLimit = 1 << 20

    init(destination: String, _ continuation: CheckedContinuation<HTTPResponse, Error>) {
        self.destination = destination
        let url = URL(fileURLWithPath: destination)
        temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).part").path
        self.continuation = continuation
    }

    func head(_ head: HTTPResponseHead) {
        received = head
        guard (200...299).contains(head.status) else { return }
        descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        if descriptor < 0 { failure = .file(path: temporary, reason: "cannot create: \(String(cString: strerror(errno)))") }
    }

    func write(_ bytes: UnsafeRawBufferPointer) -> SinkWrite {
        guard descriptor >= 0 else {
            if failure != nil { return .abort }
            errorBody.append(contentsOf: bytes.prefix(max(0, Self.errorBodyLimit - errorBody.count)))
            return .taken
        }
        var offset = 0
        while offset < bytes.count {
            let n = Foundation.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                failure = .file(path: temporary, reason: "cannot write: \(String(cString: strerror(errno)))")
                return .abort
            }
            offset += n
        }
        return .taken
    }

    func finish(_ error: Error?) {
        if descriptor >= 0 { close(descriptor) }
        let head = received ?? HTTPResponseHead(status: 0, headers: [:])
        if let error = failure ?? error {
            unlink(temporary)
            continuation.resume(throwing: error)
        } else if descriptor >= 0 {
            if rename(temporary, destination) == 0 {
                continuation.resume(returning: HTTPResponse(head, body: []))
            } else {
                let reason = String(cString: strerror(errno))
                unlink(temporary)
                continuation.resume(throwing: HTTPError.file(path: destination, reason: "cannot move the download into place: \(reason)"))
            }
        } else {
            continuation.resume(returning: HTTPResponse(head, body: errorBody))
        }
    }
}
