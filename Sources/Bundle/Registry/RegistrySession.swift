import Foundation
import Kube

/// One conversation with the registries a command talks to: an HTTP client per registry (its TLS settings), the
/// authorization learned from challenges, redirects followed (blob downloads are often sent to a CDN, which gets no
/// registry credentials), and counters of what went over the wire.
public final class RegistrySession: Sendable {
    public let options: RegistryOptions
    public let counters = RegistryCounters()
    let auth: RegistryAuth
    private let clients = ClientCache()

    public init(options: RegistryOptions = RegistryOptions(), credentials: RegistryCredentials = RegistryCredentials()) {
        self.options = options
        let clients = clients
        let options = options
        auth = RegistryAuth(credentials: credentials) { url in clients.client(for: Self.tls(url, options), options) }
    }

    public func endpoint(_ registry: String) -> RegistryEndpoint { options.endpoint(registry) }

    /// Token requests sent so far (the bearer flow's).
    public var tokenRequests: Int { get async { await auth.tokenRequests } }

    /// The TLS settings for a URL outside any registry's API (a token realm, a redirect target): the CA file and
    /// `--insecure` apply, per-registry insecurity does not.
    static func tls(_ url: String, _ options: RegistryOptions) -> TLSSettings {
        var tls = TLSSettings()
        tls.caFile = options.caFile
        let host = url.split(separator: "/").dropFirst().first.map(String.init) ?? ""
        tls.insecure = options.insecureAll || options.insecure.contains(host)
        return tls
    }

    func client(_ endpoint: RegistryEndpoint) -> HTTPClient { clients.client(for: endpoint.tls, options) }

    /// Sends `request` to `endpoint` with the authorization `scopes` need; after a 401, once more with what the
    /// challenge asks for. Redirects are followed (without the registry's `Authorization` on another host).
    func send(_ request: HTTPRequest, to endpoint: RegistryEndpoint, scopes: [String], subject: String) async throws -> HTTPResponse {
        try await exchange(request, endpoint, scopes, subject, head: \.head, discard: { _ in }) { client, request in
            try await client.send(request)
        }
    }

    /// The same, for a body read as it arrives.
    func stream(_ request: HTTPRequest, to endpoint: RegistryEndpoint, scopes: [String], subject: String) async throws
        -> (HTTPResponseHead, AsyncThrowingStream<[UInt8], Error>) {
        try await exchange(request, endpoint, scopes, subject, head: \.0, discard: { _ in }) { client, request in
            try await client.stream(request)
        }
    }

    /// A HEAD request: the head only.
    func head(_ url: String, to endpoint: RegistryEndpoint, headers: [(String, String)] = [], scopes: [String],
              subject: String) async throws -> HTTPResponseHead {
        let request = HTTPRequest("HEAD", url, headers: headers, timeout: options.timeout)
        return try await send(request, to: endpoint, scopes: scopes, subject: subject).head
    }

    private func exchange<T>(_ request: HTTPRequest, _ endpoint: RegistryEndpoint, _ scopes: [String], _ subject: String,
                             head: (T) -> HTTPResponseHead, discard: (T) -> Void,
                             _ perform: (HTTPClient, HTTPRequest) async throws -> T) async throws -> T {
        do {
            var authorization = try await auth.authorization(registry: endpoint.name, scopes: scopes)
            var response = try await perform(client(endpoint), authorized(request, authorization))
            if head(response).status == 401 {
                let challenge = head(response).headers["www-authenticate"]
                discard(response)
                guard let next = try await auth.challenged(registry: endpoint.name, header: challenge, scopes: scopes,
                                                           refused: authorization) else {
                    let login = await auth.hasLogin(endpoint.name)
                    throw RegistryError(.unauthorized, registry: endpoint.name, subject: subject, reason: login
                        ? "credentials refused (HTTP 401)"
                        : "the registry requires credentials and none are configured for \(endpoint.name) (helm.image_registries, or a docker config.json)")
                }
                authorization = next
                response = try await perform(client(endpoint), authorized(request, authorization))
                if head(response).status == 401 {
                    throw RegistryError(.unauthorized, registry: endpoint.name, subject: subject, reason: "credentials refused (HTTP 401)")
                }
            }
            var hops = 0
            var current = request
            while [301, 302, 303, 307, 308].contains(head(response).status), let location = head(response).headers["location"], hops < 5 {
                discard(response)
                hops += 1
                let target = endpoint.resolve(location: location)
                let sameHost = target.hasPrefix(endpoint.baseURL + "/")
                current.url = target
                if head(response).status == 303 { current.method = "GET"; current.body = nil; current.bodyFile = nil }
                let client = sameHost ? client(endpoint) : clients.client(for: Self.tls(target, options), options)
                response = try await perform(client, sameHost ? authorized(current, authorization) : current)
            }
            return response
        } catch {
            throw RegistryError.transport(error, registry: endpoint.name, subject: subject)
        }
    }

    private func authorized(_ request: HTTPRequest, _ authorization: String?) -> HTTPRequest {
        guard let authorization else { return request }
        var out = request
        out.headers.append(("Authorization", authorization))
        return out
    }
}

/// One HTTP client per set of TLS settings, made on first use.
final class ClientCache: @unchecked Sendable {
    private let lock = NSLock()
    private var clients: [String: HTTPClient] = [:]

    func client(for tls: TLSSettings, _ options: RegistryOptions) -> HTTPClient {
        let key = "\(tls.caFile ?? "")|\(tls.insecure)"
        return lock.withLock {
            if let client = clients[key] { return client }
            var settings = HTTPClientSettings()
            settings.tls = tls
            settings.retry = options.retry
            settings.connectTimeout = options.connectTimeout
            settings.timeout = options.timeout
            settings.userAgent = "kiln (OCI distribution)"
            let client = HTTPClient(settings)
            clients[key] = client
            return client
        }
    }
}

/// What went over the wire, for summaries and tests: bytes each way and requests by kind.
public final class RegistryCounters: @unchecked Sendable {
    private let lock = NSLock()
    private var counts: [String: Int] = [:]
    private var received: Int64 = 0
    private var sent: Int64 = 0

    public static let blobGET = "blob GET"
    public static let blobUpload = "blob upload"
    /// One `PATCH` of a chunked upload.
    public static let blobChunk = "blob chunk"
    public static let blobMount = "blob mount"
    public static let blobPresent = "blob present"
    public static let manifestGET = "manifest GET"
    public static let manifestPUT = "manifest PUT"

    func count(_ kind: String) { lock.withLock { counts[kind, default: 0] += 1 } }
    func received(_ n: Int) { lock.withLock { received += Int64(n) } }
    func sent(_ n: Int64) { lock.withLock { sent += n } }

    public subscript(kind: String) -> Int { lock.withLock { counts[kind] ?? 0 } }
    public var bytesReceived: Int64 { lock.withLock { received } }
    public var bytesSent: Int64 { lock.withLock { sent } }
}
