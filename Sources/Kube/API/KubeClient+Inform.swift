import Foundation
import Schema

/// What an informer reports: a full list (at the start, and again whenever the watch's resourceVersion expired, so
/// the consumer replaces what it knew), then the changes since.
public enum InformerEvent: Sendable, Equatable {
    case listed([JSONValue], resourceVersion: String)
    case changed(WatchEvent)
}

/// How an informer reconnects after a dropped watch: jittered exponential back-off, and at most `attempts` failures
/// in a row before it gives up with the last error.
public struct WatchRetry: Sendable {
    public var initialDelay: Double
    public var maxDelay: Double
    public var attempts: Int

    public init(initialDelay: Double = 0.5, maxDelay: Double = 30, attempts: Int = 10) {
        self.initialDelay = initialDelay
        self.maxDelay = maxDelay
        self.attempts = attempts
    }

    func delay(after failures: Int) -> Double {
        ExponentialBackoff.jittered(after: failures, initial: initialDelay, maximum: maxDelay)
    }
}

extension KubeClient {
    /// List then watch a kind, kept going: bookmarks and events move the resourceVersion on; a dropped connection
    /// resumes the watch from the last one seen (with back-off); an expired one (HTTP 410, or an ERROR event with
    /// code 410) lists again. Ends when the consumer's task is cancelled (or it stops iterating), or with the error
    /// after `retry.attempts` failures in a row (or any error that retrying cannot mend: 401, 403, 404).
    public func inform(apiVersion: String, kind: String, namespace: String?, labelSelector: String? = nil,
                       retry: WatchRetry = WatchRetry()) -> AsyncThrowingStream<InformerEvent, Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    try await self.runInformer(apiVersion: apiVersion, kind: kind, namespace: namespace,
                                               labelSelector: labelSelector, retry: retry) { continuation.yield($0) }
                    continuation.finish()
                } catch is CancellationError {
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    private func runInformer(apiVersion: String, kind: String, namespace: String?, labelSelector: String?, retry: WatchRetry,
                             emit: (InformerEvent) -> Void) async throws {
        var resourceVersion: String?  // nil: list first
        var failures = 0
        while true {
            try Task.checkCancellation()
            var progressed = false
            do {
                if resourceVersion == nil {
                    let list = try await listObjects(apiVersion: apiVersion, kind: kind, namespace: namespace, labelSelector: labelSelector)
                    resourceVersion = list.resourceVersion
                    emit(.listed(list.items, resourceVersion: list.resourceVersion))
                }
                let events = try await watch(apiVersion: apiVersion, kind: kind, namespace: namespace, labelSelector: labelSelector,
                                             resourceVersion: resourceVersion)
                reading: for try await event in events {
                    progressed = true
                    failures = 0
                    switch event.type {
                    case .error where event.statusCode == 410:
                        resourceVersion = nil
                        break reading
                    case .error:
                        throw event.error
                    case .bookmark:
                        resourceVersion = event.resourceVersion ?? resourceVersion
                    case .added, .modified, .deleted:
                        resourceVersion = event.resourceVersion ?? resourceVersion
                        emit(.changed(event))
                    }
                }
                // The server closed the watch (as API servers do after a few minutes): resume at once, unless it
                // keeps closing without sending anything.
                if progressed { continue }
            } catch let error as KubeError where error.status == 410 {
                resourceVersion = nil
                continue
            } catch let error where Self.isTransient(error) {
                guard failures + 1 < retry.attempts else { throw error }
            }
            if !progressed {
                failures += 1
                guard failures < retry.attempts else {
                    throw HTTPError.unreachable(url: target.server, reason: "the watch of \(kind) ended \(failures) times in a row without an event")
                }
            }
            try await Task.sleep(for: .milliseconds(Int(retry.delay(after: failures) * 1000)))
        }
    }

    /// A dropped or refused connection, or a server that is unavailable: worth another try.
    static func isTransient(_ error: Error) -> Bool {
        if let error = error as? HTTPError, case .unreachable = error { return true }
        if let error = error as? KubeError { return error.isUnavailable }
        return false
    }
}
