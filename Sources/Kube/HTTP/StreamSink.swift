import Foundation

/// A response body handed to a consumer as it arrives, with at most `limit` bytes waiting: past that the transfer
/// pauses (libcurl keeps the bytes, and stops reading the socket, so the server's sends block) until the consumer
/// has taken half of what waits.
final class StreamSink: TransferSink, @unchecked Sendable {
    private let lock = NSLock()
    private let limit: Int
    private var chunks: [[UInt8]] = []
    private var first = 0
    private var buffered = 0
    private var paused = false
    private var ended: Error??  // nil: still running; .some(nil): complete; .some(error): failed
    private var headWaiter: CheckedContinuation<HTTPResponseHead, Error>?
    private var bodyWaiter: CheckedContinuation<[UInt8]?, Error>?
    /// Set once the transfer exists: how the consumer unpauses it.
    var resume: (@Sendable () -> Void)?

    init(limit: Int) {
        self.limit = max(limit, 1)
    }

    /// Waits for the head (set before the transfer starts, so it cannot be missed).
    func awaitHead(_ continuation: CheckedContinuation<HTTPResponseHead, Error>) {
        lock.withLock { headWaiter = continuation }
    }

    func head(_ head: HTTPResponseHead) {
        let waiter = lock.withLock { defer { headWaiter = nil }; return headWaiter }
        waiter?.resume(returning: head)
    }

    func write(_ bytes: UnsafeRawBufferPointer) -> SinkWrite {
        lock.lock()
        if let waiter = bodyWaiter {
            bodyWaiter = nil
            lock.unlock()
            waiter.resume(returning: Array(bytes))
            return .taken
        }
        defer { lock.unlock() }
        if buffered >= limit {
            paused = true
            return .later
        }
        chunks.append(Array(bytes))
        buffered += bytes.count
        return .taken
    }

    func finish(_ error: Error?) {
        let (head, body) = lock.withLock {
            ended = .some(error)
            defer { headWaiter = nil; bodyWaiter = nil }
            return (headWaiter, bodyWaiter)
        }
        head?.resume(throwing: error ?? HTTPError.unreachable(url: "", reason: "the response ended before its headers"))
        if let error { body?.resume(throwing: error) } else { body?.resume(returning: nil) }
    }

    /// The next piece of the body; nil at its end.
    func next() async throws -> [UInt8]? {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[UInt8]?, Error>) in
            lock.lock()
            if first < chunks.count {
                let chunk = chunks[first]
                chunks[first] = []
                first += 1
                if first == chunks.count { chunks = []; first = 0 }
                buffered -= chunk.count
                let wake = paused && buffered <= limit / 2
                if wake { paused = false }
                lock.unlock()
                if wake { resume?() }
                continuation.resume(returning: chunk)
            } else if let ended {
                lock.unlock()
                if let error = ended { continuation.resume(throwing: error) } else { continuation.resume(returning: nil) }
            } else {
                bodyWaiter = continuation
                let wake = paused
                paused = false
                lock.unlock()
                if wake { resume?() }
            }
        }
    }
}
