/// What a pull or push reports as it goes: `--format json` prints each as one line; the terminal progress line counts
/// them.
public struct TransferEvent: Sendable, Encodable, Equatable {
    public enum Kind: String, Sendable, Encodable {
        case imageStarted = "image-started"
        case imageDone = "image-done"
        case imageFailed = "image-failed"
        case blobDone = "blob-done"
    }

    public let event: Kind
    /// The image reference (upstream for a pull, the target registry's for a push).
    public var image: String?
    public var digest: String?
    /// The image's (or blob's) size in bytes.
    public var bytes: Int64?
    /// Bytes that actually went over the wire (0 when everything was there already).
    public var transferred: Int64?
    public var error: String?

    public init(_ event: Kind, image: String? = nil, digest: String? = nil, bytes: Int64? = nil, transferred: Int64? = nil,
                error: String? = nil) {
        self.event = event
        self.image = image
        self.digest = digest
        self.bytes = bytes
        self.transferred = transferred
        self.error = error
    }
}

/// A counting semaphore for tasks: at most `limit` transfers run at once, however many images are in flight.
actor TransferLimiter {
    private var available: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(_ limit: Int) { available = max(1, limit) }

    func acquire() async {
        if available > 0 { available -= 1; return }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty { available += 1 } else { waiting.removeFirst().resume() }
    }

    func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        await acquire()
        do {
            let value = try await body()
            release()
            return value
        } catch {
            release()
            throw error
        }
    }
}

/// One task per key: the second image needing a blob waits for the first's download (or upload) instead of
/// repeating it.
actor SharedTasks<Value: Sendable> {
    private var tasks: [String: Task<Value, Error>] = [:]

    /// The running (or finished) task for `key`, and whether this call started it.
    func run(_ key: String, _ body: @escaping @Sendable () async throws -> Value) async throws -> (value: Value, first: Bool) {
        if let task = tasks[key] { return (try await task.value, false) }
        let task = Task { try await body() }
        tasks[key] = task
        do {
            // A cancelled caller (an interrupted create) stops the transfer it started.
            let value = try await withTaskCancellationHandler { try await task.value } onCancel: { task.cancel() }
            return (value, true)
        } catch {
            tasks[key] = nil
            throw error
        }
    }
}
