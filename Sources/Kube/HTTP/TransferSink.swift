/// Where a transfer's response goes. The transfer loop calls these on its own thread, in order: `head` once (unless
/// the transfer fails first), `write` for each piece of the body, then `finish` exactly once.
enum SinkWrite {
    case taken
    /// Left for later: the transfer pauses until the sink asks the loop to resume it.
    case later
    /// The sink failed (it says why in `finish`): the transfer ends.
    case abort
}

protocol TransferSink: AnyObject {
    func head(_ head: HTTPResponseHead)
    func write(_ bytes: UnsafeRawBufferPointer) -> SinkWrite
    /// The transfer ended: nil when the whole response arrived.
    func finish(_ error: Error?)
}

/// Collects the whole response in memory, for API requests.
final class BufferSink: TransferSink, @unchecked Sendable {
    private var received: HTTPResponseHead?
    private var body: [UInt8] = []
    private let continuation: CheckedContinuation<HTTPResponse, Error>

    init(_ continuation: CheckedContinuation<HTTPResponse, Error>) {
        self.continuation = continuation
    }

    func head(_ head: HTTPResponseHead) {
        received = head
        body = []
    }

    func write(_ bytes: UnsafeRawBufferPointer) -> SinkWrite {
        body.append(contentsOf: bytes)
        return .taken
    }

    func finish(_ error: Error?) {
        if let error {
            continuation.resume(throwing: error)
        } else {
            continuation.resume(returning: HTTPResponse(received ?? HTTPResponseHead(status: 0, headers: [:]), body: body))
        }
    }
}
