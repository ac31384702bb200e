import FlyingSocks
import Foundation

/// `/healthz` (the process answers), `/readyz` (it reached the API server and either leads or stands by) and
/// Prometheus `/metrics`, over FlyingSocks' async sockets.
///
/// Why not FlyingFox's HTTP server, one layer up: its module imports FoundationNetworking (for its proxy handler),
/// which links libcurl into kiln at start-up — the thirty shared objects every `kiln validate` would map again.
/// Three GET routes with a fixed answer need only the request line, so this reads it and answers with
/// `Connection: close`.
public actor HealthServer {
    let metrics: OperatorMetrics
    let ready: @Sendable () async -> Bool
    /// How long a client may take to send its request head; a connection that sends nothing is closed then.
    let headTimeout: Duration
    private let socket: Socket
    private let pool: any AsyncSocketPool
    private var stopping = false
    private var serving: Task<Void, Error>?

    public init(host: String, port: UInt16, metrics: OperatorMetrics, headTimeout: Duration = .seconds(10),
                ready: @escaping @Sendable () async -> Bool) throws {
        let address = try sockaddr_in.inet(ip4: host, port: port)
        socket = try Socket(domain: Int32(sockaddr_in.family))
        try socket.setValue(true, for: .localAddressReuse)
        try socket.bind(to: address)
        try socket.listen()
        pool = SocketPool.make()
        self.metrics = metrics
        self.ready = ready
        self.headTimeout = headTimeout
    }

    /// Serves until cancelled (or `stop`). The socket listens from `init`, so no connection is refused meanwhile.
    public func run() async throws {
        try await pool.prepare()
        let listener = try AsyncSocket(socket: socket, pool: pool)
        let pool = self.pool
        // The accept loop and the pool run in a task of their own: closing the socket does not wake a suspended
        // accept, cancelling does (as FlyingFox's own server stops).
        let task = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await pool.run() }
                group.addTask { [self] in
                    for try await connection in listener.sockets {
                        Task { await self.answer(connection) }
                    }
                }
                try await group.next()
                group.cancelAll()
            }
        }
        serving = task
        do {
            try await withTaskCancellationHandler { try await task.value } onCancel: { task.cancel() }
        } catch where stopping || Task.isCancelled || error is CancellationError {
            // Stopped or cancelled: the shutdown asked for.
        }
    }

    /// The port it listens on (the one asked for, or the one the system chose for port 0).
    public func port() async throws -> UInt16 {
        if case .ip4(_, let port) = try socket.sockname() { return port }
        return 0
    }

    public func stop() async {
        stopping = true
        try? socket.close()
        serving?.cancel()
    }

    /// Reads the request head (bounded: 8 KiB, `headTimeout`), answers its route, closes.
    private func answer(_ connection: AsyncSocket) async {
        defer { try? connection.close() }
        // Bounded in time too: a read waiting for bytes that never come ends only when cancelled.
        let head = await withinTimeLimit(headTimeout) { () -> [UInt8]? in
            var head: [UInt8] = []
            while !Self.endsHead(head), head.count < 8192 {
                guard let bytes = try? await connection.read(atMost: 1024), !bytes.isEmpty else { return nil }
                head += bytes
            }
            return head
        }
        guard let head else { return }
        let line = String(decoding: head.prefix { $0 != 0x0D && $0 != 0x0A }, as: UTF8.self).split(separator: " ")
        let (status, type, body) = await route(line.count >= 2 ? String(line[0]) : "", line.count >= 2 ? String(line[1]) : "")
        let response = "HTTP/1.1 \(status)\r\nContent-Type: \(type)\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n" + body
        try? await connection.write(Data(response.utf8))
    }

    private func route(_ method: String, _ target: String) async -> (String, String, String) {
        let plain = "text/plain; charset=utf-8"
        guard method == "GET" else { return ("405 Method Not Allowed", plain, "only GET\n") }
        switch target.split(separator: "?", maxSplits: 1).first.map(String.init) ?? "" {
        case "/healthz": return ("200 OK", plain, "ok\n")
        case "/readyz": return await ready() ? ("200 OK", plain, "ok\n") : ("503 Service Unavailable", plain, "not ready\n")
        case "/metrics": return ("200 OK", "text/plain; version=0.0.4", metrics.text)
        default: return ("404 Not Found", plain, "no such path: /healthz, /readyz and /metrics are served\n")
        }
    }

    /// Whether the bytes hold a whole request head (up to its empty line).
    static func endsHead(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 4 else { return false }
        return (0...(bytes.count - 4)).contains { bytes[$0] == 0x0D && bytes[$0 + 1] == 0x0A && bytes[$0 + 2] == 0x0D && bytes[$0 + 3] == 0x0A }
    }
}
