import Foundation

/// An exec plugin's credential for the life of a client: reused until its expirationTimestamp (less a little, so a
/// request does not leave with a token about to lapse), the plugin run again after it, or when the server refuses
/// the credential. Concurrent requests that need a new credential share one run of the plugin.
public actor ExecCredentialSource: HTTPCredentialSource {
    private let plugin: Kubeconfig.ExecPlugin
    private let server: String
    private let environment: [String: String]
    private var cached: ExecCredential.Credential?
    private var running: Task<ExecCredential.Credential, Error>?
    private static let skew: TimeInterval = 10

    public init(_ plugin: Kubeconfig.ExecPlugin, server: String, environment: [String: String], initial: ExecCredential.Credential? = nil) {
        self.plugin = plugin
        self.server = server
        self.environment = environment
        cached = initial
    }

    public func current() async throws -> HTTPCredential {
        if let cached, !Self.expired(cached) { return cached.http }
        return try await rerun().http
    }

    public func refresh(refused: HTTPCredential) async throws -> HTTPCredential {
        // Another request may have replaced the refused credential already.
        if let cached, cached.http != refused, !Self.expired(cached) { return cached.http }
        return try await rerun().http
    }

    private static func expired(_ credential: ExecCredential.Credential) -> Bool {
        guard let expiration = credential.expiration else { return false }
        return expiration.timeIntervalSinceNow < skew
    }

    private func rerun() async throws -> ExecCredential.Credential {
        if let running { return try await running.value }
        let (plugin, server, environment) = (plugin, server, environment)
        let task = Task {
            // The plugin blocks a thread while it runs: not one of the cooperative pool's.
            try await withCheckedThrowingContinuation { continuation in
                DispatchQueue.global().async {
                    continuation.resume(with: Result { try ExecCredential.run(plugin, server: server, environment: environment) })
                }
            }
        }
        running = task
        defer { running = nil }
        let credential = try await task.value
        cached = credential
        return credential
    }
}
