/// What authenticates a request when it can change while the client lives: an exec plugin's token or certificate,
/// which expires and which the server may refuse.
public struct HTTPCredential: Sendable, Equatable {
    public var token: String?
    public var certificate: [UInt8]?
    public var key: [UInt8]?

    public init(token: String? = nil, certificate: [UInt8]? = nil, key: [UInt8]? = nil) {
        self.token = token
        self.certificate = certificate
        self.key = key
    }
}

/// A source of credentials the client asks before each request, and again (once per request) after a 401.
public protocol HTTPCredentialSource: Sendable {
    /// The credential to send now (cached while it is valid).
    func current() async throws -> HTTPCredential
    /// A credential other than `refused`, which the server just turned away.
    func refresh(refused: HTTPCredential) async throws -> HTTPCredential
}
