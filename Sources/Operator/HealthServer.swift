import FlyingFox
import Foundation

/// `/healthz` (the process answers), `/readyz` (it reached the API server and either leads or stands by) and
/// Prometheus `/metrics`, served by FlyingFox.
public actor HealthServer {
    let server: HTTPServer
    let metrics: OperatorMetrics
    let ready: @Sendable () async -> Bool
    private var stopping = false

    public init(host: String, port: UInt16, metrics: OperatorMetrics, ready: @escaping @Sendable () async -> Bool) throws {
        server = HTTPServer(address: try .inet(ip4: host, port: port), timeout: 10)
        self.metrics = metrics
        self.ready = ready
    }

    /// Serves until cancelled (or `stop`). The routes are in place before the first connection is accepted.
    public func run() async throws {
        let text: @Sendable (HTTPStatusCode, String) -> HTTPResponse = { status, body in
            HTTPResponse(statusCode: status, headers: [.contentType: "text/plain; charset=utf-8"], body: Data(body.utf8))
        }
        let (metrics, ready) = (self.metrics, self.ready)
        await server.appendRoute("GET /healthz") { _ in text(.ok, "ok\n") }
        await server.appendRoute("GET /readyz") { _ in await ready() ? text(.ok, "ok\n") : text(.serviceUnavailable, "not ready\n") }
        await server.appendRoute("GET /metrics") { _ in
            HTTPResponse(statusCode: .ok, headers: [.contentType: "text/plain; version=0.0.4"], body: Data(metrics.text.utf8))
        }
        do {
            try await server.run()
        } catch where stopping {
            // FlyingFox's accept loop ends with `disconnected` when stopped: that is the shutdown asked for.
        }
    }

    /// The port it listens on (the one asked for, or the one the system chose for port 0), once listening.
    public func port() async throws -> UInt16 {
        try await server.waitUntilListening()
        if case .ip4(_, let port)? = await server.listeningAddress { return port }
        return 0
    }

    public func stop() async {
        stopping = true
        await server.stop()
    }
}
