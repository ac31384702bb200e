/// A request to an HTTP server (the Kubernetes API, a registry).
public struct HTTPRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: [(String, String)]
    public var body: [UInt8]?

    public init(_ method: String, _ url: String, headers: [(String, String)] = [], body: [UInt8]? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

public struct HTTPResponse: Sendable {
    public var status: Int
    /// Header names lowercased.
    public var headers: [String: String]
    public var body: [UInt8]

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
    public var serverName: String?

    public init() {}
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

    public init() {}
}

public enum HTTPError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The server could not be reached (refused, unresolvable, timed out, TLS failure): kiln's exit code 3.
    case unreachable(url: String, reason: String)
    case invalidURL(String)

    public var description: String {
        switch self {
        case let .unreachable(url, reason): return "cannot reach \(url): \(reason)"
        case let .invalidURL(url): return "invalid URL: \(url)"
        }
    }
}
