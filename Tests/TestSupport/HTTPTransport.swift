import Foundation

/// One request as the server read it off the connection.
struct HTTPServerRequest {
    var method: String
    /// Origin form (`/apis/apps/v1/...?watch=1`), a proxy's absolute form already reduced to it.
    var target: String
    var proxied: Bool
    /// Names lowercased.
    var headers: [String: String]
    var body: [UInt8]
}

/// What a handler answers.
enum HTTPServerResponse {
    /// One JSON document with a Content-Length.
    case json(Int, JSONDocument, headers: [String] = [])
    /// A chunked stream (a watch): the body writes chunks until it returns or a write fails.
    case stream(Int, (ChunkWriter) -> Void)
    /// Close the connection without answering (a dropped connection).
    case drop
}

/// JSON text to send (kept apart from `JSONValue` so the transport needs no model).
struct JSONDocument {
    var text: String
}

/// Writes `Transfer-Encoding: chunked` chunks; false once the peer is gone.
final class ChunkWriter {
    fileprivate let send: (ArraySlice<UInt8>) -> Bool

    fileprivate init(_ send: @escaping (ArraySlice<UInt8>) -> Bool) { self.send = send }

    func write(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { return true }
        return send(ArraySlice(Array((String(bytes.count, radix: 16) + "\r\n").utf8) + bytes + [13, 10]))
    }
}

/// HTTP/1.1 on 127.0.0.1: an accept loop, a thread per connection, keep-alive, Content-Length bodies in, JSON or
/// chunked streams out, and TLS when given an endpoint. `stop` closes the listener and every open connection, so
/// watches and idle keep-alive connections end with the server.
final class HTTPTransport: @unchecked Sendable {
    private(set) var port: UInt16 = 0
    private let listener: Int32
    private let tls: TLSEndpoint?
    private let handler: (HTTPServerRequest) -> HTTPServerResponse
    private let onTLSClient: (String) -> Void
    private let lock = NSLock()
    private var open: Set<Int32> = []
    private var stopped = false

    init(tls: TLSEndpoint?, onTLSClient: @escaping (String) -> Void, handler: @escaping (HTTPServerRequest) -> HTTPServerResponse) throws {
        self.tls = tls
        self.handler = handler
        self.onTLSClient = onTLSClient
        // A watcher that hangs up mid-stream must not kill the test process (OpenSSL writes without MSG_NOSIGNAL).
        signal(SIGPIPE, SIG_IGN)
        listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listener, 64) == 0 else {
            close(listener)
            throw POSIXError(.EADDRINUSE)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = getsockname(listener, $0, &length) }
        }
        port = UInt16(bigEndian: address.sin_port)
        Thread { [weak self] in self?.acceptLoop() }.start()
    }

    /// Closes the listener and shuts every open connection down, once: closing a descriptor twice could close another
    /// test's socket that has been given the same number since. Connection threads close their own descriptors.
    func stop() {
        let connections: Set<Int32>? = lock.withLock {
            guard !stopped else { return nil }
            stopped = true
            for fd in open { shutdown(fd, Int32(SHUT_RDWR)) }
            return open
        }
        guard connections != nil else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func acceptLoop() {
        while true {
            let fd = accept(listener, nil, nil)
            guard fd >= 0 else { return }
            let accepted: Bool = lock.withLock {
                guard !stopped else { return false }
                open.insert(fd)
                return true
            }
            guard accepted else {
                close(fd)
                return
            }
            Thread { [weak self] in
                self?.serve(fd)
                self?.lock.withLock { _ = self?.open.remove(fd) }
                close(fd)
            }.start()
        }
    }

    private func serve(_ fd: Int32) {
        var session: TLSEndpoint.Session?
        if let tls {
            guard let accepted = tls.accept(fd) else { return }
            session = accepted
            onTLSClient(accepted.peerSubject)
        }
        defer { session = nil }
        let connection = Connection(
            receive: { chunk in session.map { $0.read(&chunk) } ?? read(fd, &chunk, chunk.count) },
            send: { bytes in session.map { $0.write(bytes) } ?? bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } })
        while let request = connection.readRequest() {
            guard connection.respond(handler(request)) else { return }
        }
    }
}

/// One connection's byte stream: requests read from it, responses written to it.
private final class Connection {
    let receive: (inout [UInt8]) -> Int
    let sendBytes: (ArraySlice<UInt8>) -> Int
    var buffer: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)

    init(receive: @escaping (inout [UInt8]) -> Int, send: @escaping (ArraySlice<UInt8>) -> Int) {
        self.receive = receive
        sendBytes = send
    }

    /// Headers, then Content-Length bytes of body; nil when the peer closed the connection or sent nonsense.
    func readRequest() -> HTTPServerRequest? {
        var headerEnd = Self.find(buffer, [13, 10, 13, 10])
        while headerEnd == nil {
            guard fill() else { return nil }
            headerEnd = Self.find(buffer, [13, 10, 13, 10])
        }
        guard let end = headerEnd else { return nil }
        let head = String(decoding: buffer[0..<end], as: UTF8.self).split(separator: "\r\n").map(String.init)
        guard let requestLine = head.first?.split(separator: " "), requestLine.count >= 2 else { return nil }
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            if let colon = line.firstIndex(of: ":") {
                headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        while buffer.count < end + 4 + length {
            guard fill() else { return nil }
        }
        let body = Array(buffer[(end + 4)..<(end + 4 + length)])
        buffer.removeFirst(end + 4 + length)
        var target = String(requestLine[1])
        let proxied = target.hasPrefix("http://") || target.hasPrefix("https://")
        if proxied, let slash = target.dropFirst(8).firstIndex(of: "/") { target = String(target[slash...]) }
        return HTTPServerRequest(method: String(requestLine[0]), target: target, proxied: proxied, headers: headers, body: body)
    }

    /// Writes the response; false when the connection should close.
    func respond(_ response: HTTPServerResponse) -> Bool {
        switch response {
        case .drop:
            return false
        case let .json(code, document, extra):
            let payload = Array(document.text.utf8)
            let head = "HTTP/1.1 \(code) \(Self.reason(code))\r\nContent-Type: application/json\r\nContent-Length: \(payload.count)\r\n"
                + extra.map { $0 + "\r\n" }.joined() + "\r\n"
            return send(ArraySlice(Array(head.utf8) + payload))
        case let .stream(code, body):
            let head = "HTTP/1.1 \(code) \(Self.reason(code))\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
            guard send(ArraySlice(Array(head.utf8))) else { return false }
            var alive = true
            body(ChunkWriter { bytes in
                alive = alive && self.send(bytes)
                return alive
            })
            return alive && send(ArraySlice(Array("0\r\n\r\n".utf8)))
        }
    }

    private func fill() -> Bool {
        let n = receive(&chunk)
        if n <= 0 { return false }
        buffer += chunk[0..<n]
        return true
    }

    private func send(_ bytes: ArraySlice<UInt8>) -> Bool {
        var rest = bytes
        while !rest.isEmpty {
            let n = sendBytes(rest)
            if n <= 0 { return false }
            rest = rest.dropFirst(n)
        }
        return true
    }

    static func find(_ haystack: [UInt8], _ needle: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for i in 0...(haystack.count - needle.count) where haystack[i] == needle[0] && Array(haystack[i..<i + needle.count]) == needle {
            return i
        }
        return nil
    }

    static func reason(_ code: Int) -> String {
        [200: "OK", 201: "Created", 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed", 409: "Conflict", 410: "Gone",
         415: "Unsupported Media Type", 422: "Unprocessable Entity", 429: "Too Many Requests", 500: "Internal Server Error",
         503: "Service Unavailable"][code] ?? "Status"
    }
}
