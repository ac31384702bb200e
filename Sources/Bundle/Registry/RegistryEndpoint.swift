import Kube

/// Where a registry's API is and how to talk to it: `docker.io` is served from `registry-1.docker.io`; a registry is
/// spoken to over HTTPS unless it is declared plain HTTP (an `http://` prefix, `image_building.registries` with
/// `http: true`) or is a loopback address (as Docker treats `localhost` and `127.0.0.0/8`); its certificate is checked
/// against the system trust store, a CA file, or not at all (`insecure`).
public struct RegistryEndpoint: Sendable, Equatable {
    /// The registry as references name it (`docker.io`, `127.0.0.1:5000`).
    public let name: String
    /// `https://registry-1.docker.io`, `http://127.0.0.1:5000`.
    public let baseURL: String
    public let tls: TLSSettings

    public init(name: String, baseURL: String, tls: TLSSettings) {
        self.name = name
        self.baseURL = baseURL
        self.tls = tls
    }

    /// The API host of a registry name: Docker Hub's quirk, everything else as written.
    public static func apiHost(_ registry: String) -> String {
        registry == ImageReference.dockerHub || registry == "index.docker.io" ? "registry-1.docker.io" : registry
    }

    static func isLoopback(_ registry: String) -> Bool {
        let host = registry.split(separator: ":").first.map(String.init) ?? registry
        return host == "localhost" || host.hasPrefix("127.") || registry.hasPrefix("[::1]")
    }

    /// `/v2/<repository>/<kind>/<reference>`.
    func url(_ repository: String, _ kind: String, _ reference: String) -> String {
        "\(baseURL)/v2/\(repository)/\(kind)/\(reference)"
    }

    /// A `Location` header resolved against the registry (registries answer with paths or full URLs).
    func resolve(location: String) -> String {
        if location.hasPrefix("http://") || location.hasPrefix("https://") { return location }
        return baseURL + (location.hasPrefix("/") ? "" : "/") + location
    }
}

/// How kiln talks to registries: which are plain HTTP, which are not TLS-checked, an extra CA, retries, and timeouts.
public struct RegistryOptions: Sendable {
    /// Registry names spoken to over plain HTTP.
    public var plainHTTP: Set<String> = []
    /// Registry names whose certificates are not checked; `insecureAll` for every registry (`--insecure`).
    public var insecure: Set<String> = []
    public var insecureAll = false
    /// A CA bundle to check registry certificates against (`--ca-file`).
    public var caFile: String?
    public var retry = RetryPolicy(attempts: 5, initialDelay: 0.5, maxDelay: 10, deadline: 120)
    public var connectTimeout: Double = 15
    /// Seconds a manifest or API exchange may take; blob transfers have none but fail when stalled.
    public var timeout: Double = 120
    /// Registry name → the host that serves its images instead (`--mirror quay.io=mirror.local:5000`), as a pull-through
    /// cache or a pre-seeded mirror does: same repositories, same digests. Logins and TLS follow the mirror's name.
    public var mirrors: [String: String] = [:]

    public init() {}

    /// Adds a mirror from `REGISTRY=HOST[:PORT]`; an `http://` mirror is spoken to over plain HTTP.
    public mutating func addMirror(parsing text: String) throws {
        let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw MirrorSyntaxError(text: text, reason: "write it as REGISTRY=HOST[:PORT], e.g. quay.io=mirror.local:5000")
        }
        var host = parts[1]
        for scheme in ["http://", "https://"] where host.hasPrefix(scheme) {
            host.removeFirst(scheme.count)
            if scheme == "http://" { plainHTTP.insert(host) }
        }
        while host.hasSuffix("/") { host.removeLast() }
        guard !host.isEmpty, !host.contains("/") else {
            throw MirrorSyntaxError(text: text, reason: "a mirror is a host[:port] serving the same repositories (no path)")
        }
        mirrors[parts[0]] = host
    }

    /// `image_building.registries` (`{host: {http: bool, insecure: bool}}`), as the image builder's config reads it.
    public mutating func declare(registry: String, http: Bool, insecure: Bool) {
        if http { plainHTTP.insert(registry) }
        if insecure { self.insecure.insert(registry) }
    }

    public func endpoint(_ registry: String) -> RegistryEndpoint {
        let registry = mirrors[registry] ?? registry
        var tls = TLSSettings()
        tls.caFile = caFile
        tls.insecure = insecureAll || insecure.contains(registry)
        let plain = plainHTTP.contains(registry) || RegistryEndpoint.isLoopback(registry)
        return RegistryEndpoint(name: registry, baseURL: "\(plain ? "http" : "https")://\(RegistryEndpoint.apiHost(registry))", tls: tls)
    }
}

/// A `--mirror` that is not `REGISTRY=HOST[:PORT]`.
public struct MirrorSyntaxError: Error, CustomStringConvertible {
    public let text: String
    public let reason: String
    public var description: String { "--mirror \(text): \(reason)" }
}
