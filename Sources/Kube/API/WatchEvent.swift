import Schema

/// One line of a watch: what happened to which object. BOOKMARK carries only a resourceVersion; ERROR carries a
/// Status (`code` 410 means the resourceVersion has expired: list again).
public struct WatchEvent: Sendable, Equatable {
    public enum EventType: String, Sendable {
        case added = "ADDED", modified = "MODIFIED", deleted = "DELETED", bookmark = "BOOKMARK", error = "ERROR"
    }

    public var type: EventType
    public var object: JSONValue

    public init(type: EventType, object: JSONValue) {
        self.type = type
        self.object = object
    }

    /// The object's (or bookmark's) resourceVersion: where a watch resumes after this event.
    public var resourceVersion: String? { object["metadata"]?["resourceVersion"]?.stringValue }

    /// For ERROR: the Status code (410 Gone for an expired resourceVersion).
    public var statusCode: Int? {
        guard type == .error, case let .number(code)? = object["code"] else { return nil }
        return Int(code)
    }

    /// A watch line: `{"type":"ADDED","object":{…}}`.
    init(line: String) throws {
        let json = try JSONReader.parse(line)
        guard let name = json["type"]?.stringValue, let type = EventType(rawValue: name), let object = json["object"] else {
            throw KubeError(status: 0, reason: "BadWatchEvent", message: "the server sent a watch line kiln cannot read: \(line.prefix(200))",
                            object: nil, conflictManagers: [])
        }
        self.init(type: type, object: object)
    }

    /// An ERROR event's Status as the error it reports.
    var error: KubeError {
        KubeError(status: statusCode ?? 0, reason: object["reason"]?.stringValue ?? "",
                  message: object["message"]?.stringValue ?? "the watch failed", object: nil, conflictManagers: [])
    }
}

/// Splits a byte stream into newline-terminated lines (a watch body: chunks need not end on a line).
final class LineReader: @unchecked Sendable {
    private var bytes: AsyncThrowingStream<[UInt8], Error>.AsyncIterator
    private var pending: [UInt8] = []

    init(_ stream: AsyncThrowingStream<[UInt8], Error>) {
        bytes = stream.makeAsyncIterator()
    }

    /// The next non-empty line; nil at the end of the stream.
    func next() async throws -> String? {
        while true {
            if let newline = pending.firstIndex(of: 10) {
                let line = String(decoding: pending[..<newline], as: UTF8.self)
                pending.removeSubrange(...newline)
                if line.contains(where: { !$0.isWhitespace }) { return line }
                continue
            }
            guard let chunk = try await bytes.next() else {
                defer { pending = [] }
                let rest = String(decoding: pending, as: UTF8.self)
                return rest.contains(where: { !$0.isWhitespace }) ? rest : nil
            }
            pending += chunk
        }
    }
}
