import Foundation
import Kube
import Schema

/// Authorization for registry requests, learned from the registries' challenges and cached:
///
/// - a registry that answered `401` with `WWW-Authenticate: Basic` gets the login's `Authorization: Basic` from then on;
/// - one that answered `Bearer realm=…,service=…,scope=…` (the docker token flow quay.io, Docker Hub and most
///   registries use) gets a token from the realm, asked with `service` and the request's scopes
///   (`repository:<name>:pull[,push]`) and the login as Basic auth when there is one (anonymous otherwise), read from
///   the answer's `token` or `access_token`, cached per registry and scope set; a token refused later (expired) is
///   dropped and asked again once.
///
/// Once a registry's scheme is known, requests for a new scope fetch their token first rather than taking a 401 each.
actor RegistryAuth {
    let credentials: RegistryCredentials
    /// The HTTP client for a URL (the token realm may be on another host than the registry).
    let client: @Sendable (String) -> HTTPClient
    private var challenges: [String: AuthChallenge] = [:]
    private var tokens: [String: Task<String, Error>] = [:]
    private(set) var tokenRequests = 0

    init(credentials: RegistryCredentials, client: @escaping @Sendable (String) -> HTTPClient) {
        self.credentials = credentials
        self.client = client
    }

    /// The `Authorization` value for a request to `registry` needing `scopes`, nil while no challenge asked for one.
    func authorization(registry: String, scopes: [String]) async throws -> String? {
        guard let challenge = challenges[registry] else { return nil }
        switch challenge.scheme {
        case .basic:
            return credentials.login(for: registry)?.basicAuthorization
        case .bearer:
            return "Bearer " + (try await token(registry, challenge, scopes))
        }
    }

    /// After a 401: learns the challenge, forgets a refused token, and returns what to send instead; nil when kiln
    /// has nothing better to send (no login for a Basic registry, or the same refused value again).
    func challenged(registry: String, header: String?, scopes: [String], refused: String?) async throws -> String? {
        guard let header, let challenge = AuthChallenge.parse(header) else { return nil }
        challenges[registry] = challenge
        if challenge.scheme == .bearer { tokens[key(registry, effectiveScopes(scopes, challenge))] = nil }
        let next = try await authorization(registry: registry, scopes: scopes)
        return next == refused ? nil : next
    }

    func hasLogin(_ registry: String) -> Bool { credentials.login(for: registry) != nil }

    private func effectiveScopes(_ asked: [String], _ challenge: AuthChallenge) -> [String] {
        asked.isEmpty ? (challenge.scope.map { [$0] } ?? []) : asked
    }

    private func key(_ registry: String, _ scopes: [String]) -> String { ([registry] + scopes.sorted()).joined(separator: " ") }

    private func token(_ registry: String, _ challenge: AuthChallenge, _ asked: [String]) async throws -> String {
        let scopes = effectiveScopes(asked, challenge)
        let key = key(registry, scopes)
        if let task = tokens[key] { return try await task.value }
        tokenRequests += 1
        let login = credentials.login(for: registry)
        let client = client(challenge.realm ?? "")
        let task = Task { try await Self.fetchToken(challenge, scopes: scopes, login: login, registry: registry, client: client) }
        tokens[key] = task
        do { return try await task.value } catch {
            tokens[key] = nil
            throw error
        }
    }

    static func fetchToken(_ challenge: AuthChallenge, scopes: [String], login: RegistryLogin?, registry: String,
                           client: HTTPClient) async throws -> String {
        let subject = "token for \(scopes.isEmpty ? registry : scopes.joined(separator: " "))"
        guard let realm = challenge.realm, realm.hasPrefix("http") else {
            throw RegistryError(.unauthorized, registry: registry, subject: subject,
                                reason: "the registry's Bearer challenge names no token realm URL")
        }
        var query: [String] = []
        if let service = challenge.service { query.append("service=" + percentEncoded(service)) }
        query += scopes.map { "scope=" + percentEncoded($0) }
        let url = realm + (query.isEmpty ? "" : (realm.contains("?") ? "&" : "?") + query.joined(separator: "&"))
        var headers = [("Accept", "application/json")]
        if let login { headers.append(("Authorization", login.basicAuthorization)) }
        let response: HTTPResponse
        do { response = try await client.send(HTTPRequest("GET", url, headers: headers)) } catch {
            throw RegistryError.transport(error, registry: registry, subject: subject)
        }
        guard response.status == 200 else {
            if response.status == 401 || response.status == 403 {
                let reason = login == nil
                    ? "the registry requires credentials and none are configured for \(registry) (helm.image_registries, or a docker config.json)"
                    : "credentials refused by the token service \(realm) (HTTP \(response.status))"
                throw RegistryError(.unauthorized, registry: registry, subject: subject, reason: reason)
            }
            throw RegistryError.status(response, registry: registry, subject: subject, expected: "200 from \(realm)")
        }
        guard let json = try? JSONReader.parse(response.text),
              let token = json["token"]?.stringValue ?? json["access_token"]?.stringValue, !token.isEmpty else {
            throw RegistryError(.unauthorized, registry: registry, subject: subject,
                                reason: "the token service \(realm) answered without a token")
        }
        return token
    }

    static func percentEncoded(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
