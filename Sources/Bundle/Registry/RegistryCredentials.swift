import Config
import Foundation
import Schema

/// A user name and password (or token) for one registry.
public struct RegistryLogin: Sendable, Equatable {
    public let username: String
    public let password: String

    public init(username: String, password: String) {
        self.username = username
        self.password = password
    }

    /// `Basic base64(user:password)`.
    var basicAuthorization: String { "Basic " + Data("\(username):\(password)".utf8).base64EncodedString() }
}

/// Registry logins by registry name, from the config's `helm.image_registries` (the same entries the render turns
/// into the pods' pull secret, `${env:…}` and `${file:…}` values resolved the same way) and from a docker
/// `config.json` (`auths.<server>.auth`, base64 `user:password`, or `username`/`password`). Server names are
/// normalised as Docker does: a scheme and path are dropped, and Docker Hub's spellings (`index.docker.io`,
/// `https://index.docker.io/v1/`, `registry-1.docker.io`) are `docker.io`.
public struct RegistryCredentials: Sendable {
    public private(set) var logins: [String: RegistryLogin] = [:]

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public init(_ logins: [String: RegistryLogin] = [:]) {
        for (server, login) in logins { self.logins[Self.normalise(server)] = login }
    }

    public func login(for registry: String) -> RegistryLogin? { logins[Self.normalise(registry)] }

    /// Adds `other`'s logins where this has none (the config's entries win over a docker config's).
    public mutating func merge(_ other: RegistryCredentials) {
        logins.merge(other.logins) { mine, _ in mine }
    }

    public static func normalise(_ server: String) -> String {
        var host = Substring(server)
        if let scheme = host.range(of: "://") { host = host[scheme.upperBound...] }
        if let slash = host.firstIndex(of: "/") { host = host[..<slash] }
        let name = host.lowercased()
        return ["index.docker.io", "registry-1.docker.io", "registry.hub.docker.com"].contains(name) ? ImageReference.dockerHub : name
    }

    /// `helm.image_registries[]`: `server`, `username`, `password`; a value may be `${env:NAME}` or `${file:PATH}`.
    public static func of(_ config: ConfigView, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> RegistryCredentials {
        var out = RegistryCredentials()
        for (i, entry) in config.list("helm.image_registries").enumerated() {
            guard let server = entry["server"]?.scalarText else { continue }
            let path = "helm.image_registries[\(i)]"
            let user = try resolve(entry["username"]?.scalarText ?? "", at: path + ".username", environment)
            let password = try resolve(entry["password"]?.scalarText ?? "", at: path + ".password", environment)
            out.logins[normalise(server)] = RegistryLogin(username: user, password: password)
        }
        return out
    }

    static func resolve(_ text: String, at path: String, _ environment: [String: String]) throws -> String {
        guard ValueReference.isReference(text) else { return text }
        let inner = String(text.dropFirst(2).dropLast())
        if inner.hasPrefix("env:") {
            let name = String(inner.dropFirst(4))
            guard let value = environment[name] else {
                throw Failure(description: "environment variable \(name) is not set (for \(path))")
            }
            return value
        }
        if inner.hasPrefix("file:") {
            let file = String(inner.dropFirst(5))
            guard let data = FileManager.default.contents(atPath: file) else { throw Failure(description: "cannot read \(file) (for \(path))") }
            return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .newlines)
        }
        return text
    }

    /// The docker config a user's `docker login` wrote: `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`.
    public static func dockerConfigPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let directory = environment["DOCKER_CONFIG"], !directory.isEmpty { return directory + "/config.json" }
        return (environment["HOME"] ?? NSHomeDirectory()) + "/.docker/config.json"
    }

    /// The logins of a docker `config.json`. A missing file is no logins; an unreadable or malformed one is an error.
    /// Credential helpers (`credsStore`, `credHelpers`) are not run.
    public static func dockerConfig(_ path: String, required: Bool = false) throws -> RegistryCredentials {
        guard let data = FileManager.default.contents(atPath: path) else {
            if required || FileManager.default.fileExists(atPath: path) { throw Failure(description: "cannot read the docker config \(path)") }
            return RegistryCredentials()
        }
        let json: JSONValue
        do { json = try JSONReader.parse(String(decoding: data, as: UTF8.self)) } catch {
            throw Failure(description: "\(path) is not a docker config.json: \(error)")
        }
        var out = RegistryCredentials()
        for (server, entry) in json["auths"]?.objectValue ?? [] {
            if let auth = entry["auth"]?.stringValue, !auth.isEmpty {
                guard let decoded = Data(base64Encoded: auth).map({ String(decoding: $0, as: UTF8.self) }),
                      let colon = decoded.firstIndex(of: ":") else {
                    throw Failure(description: "\(path): auths.\(server).auth is not base64 of user:password")
                }
                out.logins[normalise(server)] = RegistryLogin(username: String(decoded[..<colon]),
                                                              password: String(decoded[decoded.index(after: colon)...]))
            } else if let user = entry["username"]?.stringValue, let password = entry["password"]?.stringValue {
                out.logins[normalise(server)] = RegistryLogin(username: user, password: password)
            } else if let token = entry["identitytoken"]?.stringValue {
                // An identity token is a refresh token for the token endpoint; kiln sends it as the password.
                out.logins[normalise(server)] = RegistryLogin(username: "<token>", password: token)
            }
        }
        return out
    }
}
