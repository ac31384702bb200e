import Foundation
import Schema

extension TestAPIServer {
    /// A watch on a collection (`?watch=1`), streamed chunked as newline-delimited JSON events in resourceVersion
    /// order, as the API server's watch handler does:
    /// - without `resourceVersion` (or with "0"), ADDED for every matching object first, then changes;
    /// - with one, the changes after it — or, when it is older than the retained history (`compact()`), one ERROR
    ///   event with a 410 `Expired` Status, after which the client must list again;
    /// - `allowWatchBookmarks=true`: a BOOKMARK carrying the current resourceVersion every `bookmarkInterval`;
    /// - `labelSelector` / `fieldSelector` filter events by the object they carry;
    /// - it ends after `timeoutSeconds`, or when the server stops.
    func watch(_ resource: ServedResource, namespace: String?, query: APIQuery) -> HTTPServerResponse {
        let timeout = Double(query["timeoutSeconds"] ?? "") ?? 1800
        let bookmarks = query.flag("allowWatchBookmarks")
        let since = query["resourceVersion"].flatMap { $0.isEmpty || $0 == "0" ? nil : Int($0) }
        let prefix = "\(resource.storeGroupVersion)/\(resource.plural)/" + (namespace.map { "\($0)/" } ?? "")
        let labels = LabelSelector(query["labelSelector"])
        let fields = FieldSelector(query["fieldSelector"])
        return .stream(200) { [self] writer in
            state.lock()
            defer { state.unlock() }
            /// Sends with the lock released, so a slow reader never holds up the server.
            func send(_ type: String, _ object: JSONValue) -> Bool {
                let line = JSONValue.object([("type", .string(type)), ("object", object)]).jsonText + "\n"
                state.unlock()
                defer { state.lock() }
                return writer.write(line)
            }
            var cursor: Int
            if let since {
                guard since >= store.compacted else {
                    _ = send("ERROR", APIStatus.expired(since, store.compacted + 1))
                    return
                }
                cursor = since
            } else {
                cursor = store.revision
                for (key, object) in matching(resource, namespace: namespace, query: query) {
                    guard send("ADDED", asRead(key, object, of: resource)) else { return }
                }
            }
            let deadline = Date().addingTimeInterval(timeout)
            var nextBookmark = Date().addingTimeInterval(bookmarkInterval)
            while !stopped, Date() < deadline {
                guard cursor >= store.compacted else {
                    _ = send("ERROR", APIStatus.expired(cursor, store.compacted + 1))
                    return
                }
                let events = Array(store.events(after: cursor))
                cursor = store.revision
                for event in events where event.key.hasPrefix(prefix) && labels.matches(event.object) && fields.matches(event.object) {
                    guard send(event.kind.rawValue, asRead(event.key, event.object, of: resource)) else { return }
                }
                if bookmarks, Date() >= nextBookmark {
                    let bookmark: JSONValue = .object([("kind", .string(resource.kind)), ("apiVersion", .string(resource.groupVersion)),
                                                       ("metadata", .object([("resourceVersion", .string("\(cursor)"))]))])
                    guard send("BOOKMARK", bookmark) else { return }
                    nextBookmark = Date().addingTimeInterval(bookmarkInterval)
                }
                if cursor == store.revision, !stopped {
                    _ = state.wait(until: min(deadline, bookmarks ? nextBookmark : deadline))
                }
            }
        }
    }
}
