import CCurl
import Foundation

/// HTTP over libcurl: TLS with a custom CA and client certificates (data or files), `insecure-skip-tls-verify`,
/// `tls-server-name`, bearer tokens or expiring credentials, an explicit proxy or HTTPS_PROXY/NO_PROXY, timeouts,
/// and bounded retries with backoff. Every transfer runs on the client's one transfer loop, so connections are reused
/// and, with a server that speaks HTTP/2, concurrent requests share one connection. A cancelled task aborts its
/// transfer and throws CancellationError.
public final class HTTPClient: Sendable {
    public let settings: HTTPClientSettings
    private let loop = TransferLoop()

    private static let initialised: Bool = kiln_curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK

    /// The libcurl file kiln loads (on first use, not at start), or nil with why it could not.
    public static func libcurl() -> Result<String, HTTPError> {
        kiln_curl_load() == 0 ? .success(String(cString: kiln_curl_library_path()))
            : .failure(.unreachable(url: "", reason: String(cString: kiln_curl_load_error())))
    }

    public init(_ settings: HTTPClientSettings) {
        _ = Self.initialised
        self.settings = settings
    }

    deinit { loop.stop() }

    /// Connections opened so far: with keep-alive or HTTP/2 multiplexing, fewer than the requests sent.
    public var connectionsOpened: Int { loop.connectionsOpened }

    /// Sends `request` and collects the whole response, retrying as the retry policy allows.
    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        try await authorized(request.url, head: \.head, discard: { _ in }) { credential in
            try await self.collect(request, credential) { BufferSink($0) }
        }
    }

    /// Sends `request` and returns once the head arrived; the body follows in the stream as it arrives, with at most
    /// `settings.streamBuffer` bytes held while the consumer lags. Retries happen before the head is returned only.
    /// Without a `timeout` in the request the exchange has none (a watch lasts as long as the server keeps it).
    /// Cancelling the consuming task, or dropping the stream, aborts the transfer.
    public func stream(_ request: HTTPRequest) async throws -> (HTTPResponseHead, AsyncThrowingStream<[UInt8], Error>) {
        let response = try await authorized(request.url, head: \.head, discard: { $0.abort() }) { credential in
            try await self.open(request, credential)
        }
        let body = AsyncThrowingStream<[UInt8], Error>(unfolding: { try await response.next() })
        return (response.head, body)
    }

    /// Sends `request` and writes a 2xx response's body to `file` (through a temporary file beside it, renamed when
    /// complete), never holding it in memory. The returned response has an empty body then; any other status leaves
    /// `file` alone and carries its (error) body. Without a `timeout` in the request the exchange has none, but one
    /// that stalls (under 1 byte/s) for the client's `timeout` fails.
    public func download(_ request: HTTPRequest, to file: String) async throws -> HTTPResponse {
        try await authorized(request.url, head: \.head, discard: { _ in }) { credential in
            try await self.collect(request, credential, stalledAfter: self.settings.timeout) { FileSink(destination: file, $0) }
        }
    }

    // MARK: - Attempts

    /// One exchange whose sink completes `HTTPResponse` when the transfer ends.
    private func collect(_ request: HTTPRequest, _ credential: HTTPCredential?, stalledAfter: Double? = nil,
                         sink: @escaping (CheckedContinuation<HTTPResponse, Error>) -> TransferSink) async throws -> HTTPResponse {
        let pending = PendingTransfer(loop)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                do {
                    let transfer = try Transfer(request, settings: settings, credential: credential, sink: sink(continuation),
                                                defaultTimeout: stalledAfter == nil ? settings.timeout : 0)
                    if let stalledAfter { transfer.abortWhenStalled(for: stalledAfter) }
                    pending.start(transfer)
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        } onCancel: {
            pending.cancel()
        }
    }

    /// One exchange whose body streams: returns when its head arrived.
    private func open(_ request: HTTPRequest, _ credential: HTTPCredential?) async throws -> StreamedResponse {
        let sink = StreamSink(limit: settings.streamBuffer)
        let transfer = try Transfer(request, settings: settings, credential: credential, sink: sink, defaultTimeout: 0)
        let loop = loop
        // Weak: the transfer holds the sink, which holds this.
        sink.resume = { [weak transfer] in if let transfer { loop.resume(transfer) } }
        let pending = PendingTransfer(loop)
        let head = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                sink.awaitHead(continuation)
                pending.start(transfer)
            }
        } onCancel: {
            pending.cancel()
        }
        return StreamedResponse(head: head, sink: sink, transfer: transfer, loop: loop)
    }

    // MARK: - Retries and credentials

    /// `attempt` with the current credential; after a 401, once more with a fresh one (when the credentials can
    /// refresh).
    private func authorized<T>(_ url: String, head: (T) -> HTTPResponseHead, discard: (T) -> Void,
                               _ attempt: (HTTPCredential?) async throws -> T) async throws -> T {
        guard let source = settings.credentials else {
            return try await retrying(url, head: head, discard: discard) { try await attempt(nil) }
        }
        let credential = try await source.current()
        let first = try await retrying(url, head: head, discard: discard) { try await attempt(credential) }
        guard head(first).status == 401 else { return first }
        discard(first)
        let fresh = try await source.refresh(refused: credential)
        return try await retrying(url, head: head, discard: discard) { try await attempt(fresh) }
    }

    /// `attempt` again after connection errors and 429/5xx responses (waiting as `Retry-After` says, else backing
    /// off), bounded by the policy's attempts and deadline, measured on a monotonic clock.
    private func retrying<T>(_ url: String, head: (T) -> HTTPResponseHead, discard: (T) -> Void,
                             _ attempt: () async throws -> T) async throws -> T {
        let policy = settings.retry
        let clock = ContinuousClock()
        let start = clock.now
        var number = 1
        while true {
            let outcome: Result<T, Error>
            do { outcome = .success(try await attempt()) } catch { outcome = .failure(error) }
            let elapsed = Self.seconds(clock.now - start)
            let canRetry = number < policy.attempts && elapsed < policy.deadline
            var wait: Double
            switch outcome {
            case .success(let value):
                let head = head(value)
                guard canRetry, RetryPolicy.retries(head.status) else { return value }
                discard(value)
                wait = min(head.headers["retry-after"].flatMap(Double.init) ?? policy.delay(before: number), policy.maxDelay)
            case .failure(let error):
                guard canRetry, case .unreachable = error as? HTTPError else { throw error }
                wait = policy.delay(before: number)
            }
            wait = min(wait, max(0, policy.deadline - elapsed))
            try await Task.sleep(for: .milliseconds(Int(wait * 1000)))
            number += 1
        }
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

/// A transfer being started by a task that may be cancelled before, while or after it starts.
private final class PendingTransfer: @unchecked Sendable {
    private let loop: TransferLoop
    private let lock = NSLock()
    private var transfer: Transfer?
    private var cancelled = false

    init(_ loop: TransferLoop) { self.loop = loop }

    func start(_ transfer: Transfer) {
        let cancelled = lock.withLock { self.transfer = transfer; return self.cancelled }
        if cancelled { transfer.cancelled = true }
        loop.start(transfer)
    }

    func cancel() {
        let transfer = lock.withLock { cancelled = true; return self.transfer }
        if let transfer { loop.cancel(transfer) }
    }
}

/// A response whose body is still arriving. Dropping it (the stream that reads it) aborts the transfer.
private final class StreamedResponse: @unchecked Sendable {
    let head: HTTPResponseHead
    private let sink: StreamSink
    private let transfer: Transfer
    private let loop: TransferLoop

    init(head: HTTPResponseHead, sink: StreamSink, transfer: Transfer, loop: TransferLoop) {
        self.head = head
        self.sink = sink
        self.transfer = transfer
        self.loop = loop
    }

    deinit { abort() }

    func abort() { loop.cancel(transfer) }

    func next() async throws -> [UInt8]? {
        try await withTaskCancellationHandler {
            try await sink.next()
        } onCancel: {
            abort()
        }
    }
}
