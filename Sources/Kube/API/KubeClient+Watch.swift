import Foundation
import Schema

extension KubeClient {
    /// Watches a kind (in `namespace`, or all when nil) from `resourceVersion` (nil: from now, after synthetic ADDED
    /// events for what exists), with bookmarks. Throws when the server refuses the watch (a KubeError: 410 when the
    /// resourceVersion has expired); the events then arrive as the server sends them, the stream ending when the
    /// server closes the watch and throwing if the connection drops. Cancelling the consumer closes the watch.
    public func watch(apiVersion: String, kind: String, namespace: String?, labelSelector: String? = nil,
                      resourceVersion: String? = nil) async throws -> AsyncThrowingStream<WatchEvent, Error> {
        var path = try await collectionPath(apiVersion: apiVersion, kind: kind, namespace: namespace) + "?watch=1&allowWatchBookmarks=true"
        if let resourceVersion { path += "&resourceVersion=\(Self.escape(resourceVersion))" }
        if let labelSelector { path += "&labelSelector=\(Self.escape(labelSelector))" }
        let (head, body) = try await http.stream(HTTPRequest("GET", target.server + path, headers: [("Accept", "application/json")]))
        let lines = LineReader(body)
        guard head.status == 200 else {
            var text: [UInt8] = []
            while let line = try await lines.next(), text.count < 1 << 16 { text += Array(line.utf8) }
            try check(HTTPResponse(status: head.status, headers: head.headers, body: text), nil)
            throw KubeError(status: head.status, reason: "", message: "the watch was refused", object: nil, conflictManagers: [])
        }
        return AsyncThrowingStream(unfolding: {
            guard let line = try await lines.next() else { return nil }
            return try WatchEvent(line: line)
        })
    }
}
