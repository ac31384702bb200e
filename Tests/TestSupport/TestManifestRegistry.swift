import Foundation

/// An OCI distribution endpoint on 127.0.0.1 that answers only what `kiln preflight` asks of a private registry:
/// `GET /v2/` and `GET /v2/<repository>/manifests/<tag>`, 200 for the images it holds and 404 (with the
/// distribution spec's MANIFEST_UNKNOWN) for the rest. No blobs, no auth.
public final class TestManifestRegistry: @unchecked Sendable {
    private let lock = NSLock()
    private var held: Set<String>
    private var requests: [String] = []
    private var transport: HTTPTransport?

    /// `held`: `repository:tag` of every image it holds (`domino/nucleus:6.1.2`).
    public init(holding held: Set<String>) throws {
        self.held = held
        transport = try HTTPTransport(tls: nil, onTLSClient: { _ in }, handler: { [weak self] request in
            self?.answer(request) ?? .drop
        })
    }

    deinit { stop() }

    public func stop() { transport?.stop() }

    /// `127.0.0.1:<port>`.
    public var address: String { "127.0.0.1:\(transport?.port ?? 0)" }

    public var requestLog: [String] { lock.withLock { requests } }

    private func answer(_ request: HTTPServerRequest) -> HTTPServerResponse {
        lock.withLock { requests.append("\(request.method) \(request.target)") }
        let path = request.target.split(separator: "?").first.map(String.init) ?? ""
        if path == "/v2/" || path == "/v2" { return .json(200, JSONDocument(text: "{}")) }
        guard request.method == "GET", path.hasPrefix("/v2/"), let range = path.range(of: "/manifests/") else {
            return .json(404, JSONDocument(text: #"{"errors":[{"code":"NAME_UNKNOWN","message":"not served"}]}"#))
        }
        let repository = String(path[path.index(path.startIndex, offsetBy: 4)..<range.lowerBound])
        let image = repository + ":" + path[range.upperBound...]
        guard lock.withLock({ held.contains(image) }) else {
            return .json(404, JSONDocument(text: #"{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}"#))
        }
        return .json(200, JSONDocument(text: #"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{},"layers":[]}"#))
    }
}
