/// A request to an HTTP server (the Kubernetes API, a registry).
public struct HTTPRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: [(String, String)]
    public var body: [UInt8]?
    /// A file sent as the body, read as the upload goes (its size is taken when the transfer starts); wins over `body`.
    public var bodyFile: String?
    /// Seconds the whole exchange may take: nil takes the client's `timeout`, 0 none (a watch, a download).
    public var timeout: Double?

    public init(_ method: String, _ url: String, headers: [(String, String)] = [], body: [UInt8]? = nil,
                bodyFile: String? = nil, timeout: Double? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.bodyFile = bodyFile
        self.timeout = timeout
    }
}

/// A response's status line and headers, known before its body (which a stream or a download delivers apart).
public struct HTTPResponseHead: Sendable, Equatable {
    public var status: Int
    /// Header names lowercased.
    public var headers: [String: String]
    /// The protocol the server answered in: "1.1", "2".
    public var version: String

    public init(status: Int, headers: [String: String], version: String = "1.1") {
        self.status = status
        self.headers = headers
        self.version = version
    }
}

public struct HTTPResponse: Sendable {
    public var status: Int
    /// Header names lowercased.
    public var headers: [String: String]
    public var body: [UInt8]
    /// The protocol the server answered in: "1.1", "2".
    public var version = "1.1"

    public init(status: Int, headers: [String: String], body: [UInt8], version: String = "1.1") {
        self.status = status
        self.headers = headers
        self.body = body
        self.version = version
    }

    init(_ head: HTTPResponseHead, body: [UInt8]) {
        self.init(status: head.status, headers: head.headers, body: body, version: head.version)
    }

    public var head: HTTPResponseHead { HTTPResponseHead(status: status, headers: headers, version: version) }
    public var text: String { String(decoding: body, as: UTF8.self) }
}

/// TLS material, as kubeconfig gives it: inline data or file paths.
public struct TLSSettings: Sendable, Equatable {
    public var caData: [UInt8]?
    public var caFile: String?
    public var certificateData: [UInt8]?
    public var certificateFile: String?
    public var keyData: [UInt8]?
    public var keyFile: String?
    /// `insecure-skip-tls-verify`: the server's certificate is not checked.
    public var insecure = false
    /// kubeconfig `tls-server-name`: the name the server's certificate must carry (and the TLS SNI), when it is not
    /// the host of the server URL.
    public var serverName: String?
    /// Where `caData` came from, for messages: `certificate-authority-data of cluster acme`.
    public var caSource: String?

    public init() {}

    /// The CA the server's certificate is checked against, in words.
    public var trustDescription: String {
        if let caFile, caData == nil { return "the CA in \(caFile) (the kubeconfig's certificate-authority)" }
        if caData != nil { return "the CA in " + (caSource ?? "the kubeconfig's inline certificate-authority-data") }
        return "the system trust store"
    }
}

/// Retries of requests that failed for reasons that may pass: connection errors, 429 and 5xx responses
/// (honouring `Retry-After`). Bounded in count and in total time.
public struct RetryPolicy: Sendable {
    public var attempts: Int
    public var initialDelay: Double
    public var maxDelay: Double
    public var deadline: Double

    public init(attempts: Int = 5, initialDelay: Double = 0.2, maxDelay: Double = 5, deadline: Double = 30) {
        self.attempts = attempts
        self.initialDelay = initialDelay
        self.maxDelay = maxDelay
        self.deadline = deadline
    }

    public static let none = RetryPolicy(attempts: 1, initialDelay: 0, maxDelay: 0, deadline: 0)

    /// The wait before attempt `n` (1-based: after the first failure), doubling up to `maxDelay`.
    func delay(before attempt: Int) -> Double {
        min(maxDelay, initialDelay * Double(1 << max(0, min(attempt - 1, 16))))
    }

    /// Whether a response with this status is worth sending again: throttling and server errors, not 501.
    static func retries(_ status: Int) -> Bool { status == 429 || (500...599).contains(status) && status != 501 }
}

public struct HTTPClientSettings: Sendable {
    public var tls = TLSSettings()
    /// Bearer token (`Authorization: Bearer …`).
    public var bearerToken: String?
    /// An explicit proxy (kubeconfig `proxy-url`); without it libcurl honours HTTPS_PROXY / NO_PROXY.
    public var proxy: String?
    public var connectTimeout: Double = 10
    public var timeout: Double = 60
    public var retry = RetryPolicy()
    public var userAgent = "kiln"
    /// Credentials that can expire (an exec plugin's); they win over `bearerToken` and the TLS client certificate.
    public var credentials: (any HTTPCredentialSource)?
    /// At most this many body bytes wait for a slow stream consumer before the transfer pauses.
    public var streamBuffer = 1 << 20

    public init() {}
}
