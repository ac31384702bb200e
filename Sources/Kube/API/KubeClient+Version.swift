import Schema

/// The server's Kubernetes version, as `GET /version` reports it.
public struct ServerVersion: Sendable, Equatable, CustomStringConvertible {
    /// `v1.32.3-eks-4096722`: what the provider built.
    public let gitVersion: String
    public let major: Int
    /// Providers append `+` to the minor (`"32+"` on EKS and GKE); only the number is kept.
    public let minor: Int

    public init(gitVersion: String, major: Int, minor: Int) {
        self.gitVersion = gitVersion
        self.major = major
        self.minor = minor
    }

    /// `1.32`: what support matrices list.
    public var minorVersion: String { "\(major).\(minor)" }
    public var description: String { gitVersion.isEmpty ? minorVersion : gitVersion }

    /// The version from `/version`'s fields, falling back to the numbers in `gitVersion` when major or minor are empty.
    public init?(json: JSONValue) {
        func number(_ text: String?) -> Int? { text.flatMap { Int($0.prefix { $0.isNumber }) } }
        let git = json["gitVersion"]?.stringValue ?? ""
        let parts = git.drop { !$0.isNumber }.split(separator: ".")
        guard let major = number(json["major"]?.stringValue) ?? number(parts.first.map(String.init)),
              let minor = number(json["minor"]?.stringValue) ?? number(parts.dropFirst().first.map(String.init)) else { return nil }
        self.init(gitVersion: git, major: major, minor: minor)
    }
}

extension KubeClient {
    /// `GET /version`.
    public func serverVersion() async throws -> ServerVersion {
        let response = try await request("GET", "/version", object: nil)
        try check(response, nil)
        guard let version = ServerVersion(json: try JSONReader.parse(response.text)) else {
            throw KubeError(status: response.status, reason: "", message: "the server's /version names no version", object: nil,
                            conflictManagers: [])
        }
        return version
    }
}
