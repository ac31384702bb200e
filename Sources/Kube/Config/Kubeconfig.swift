import Foundation
import YAML

/// A kubeconfig, as kubectl reads it: clusters, users and contexts by name, and the current context.
public struct Kubeconfig: Sendable {
    public struct Cluster: Sendable, Equatable {
        public var server: String
        public var caData: [UInt8]?
        public var caFile: String?
        public var insecure = false
        public var proxyURL: String?
        public var serverName: String?
    }

    public struct ExecPlugin: Sendable, Equatable {
        public var apiVersion: String
        public var command: String
        public var args: [String]
        public var env: [(String, String)]
        public var installHint: String?

        public static func == (a: ExecPlugin, b: ExecPlugin) -> Bool {
            a.apiVersion == b.apiVersion && a.command == b.command && a.args == b.args && a.installHint == b.installHint
                && a.env.map { "\($0.0)=\($0.1)" } == b.env.map { "\($0.0)=\($0.1)" }
        }
    }

    public struct User: Sendable, Equatable {
        public var certificateData: [UInt8]?
        public var certificateFile: String?
        public var keyData: [UInt8]?
        public var keyFile: String?
        public var token: String?
        public var tokenFile: String?
        public var exec: ExecPlugin?
    }

    public struct Context: Sendable, Equatable {
        public var cluster: String
        public var user: String
        public var namespace: String?
    }

    public var clusters: [String: Cluster] = [:]
    public var users: [String: User] = [:]
    public var contexts: [String: Context] = [:]
    public var currentContext: String?

    public struct Failure: Error, CustomStringConvertible, Equatable {
        public let description: String
    }

    public init() {}

    /// Reads one kubeconfig file. Relative paths in it are resolved against its directory, as kubectl does.
    public init(file path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Failure(description: "cannot read kubeconfig \(path)")
        }
        let (node, diagnostics) = YAMLParser.parseDocument(Array(data))
        guard let node, !diagnostics.contains(where: { $0.severity == .error }) else {
            throw Failure(description: "kubeconfig \(path) is not valid YAML: \(diagnostics.first?.message ?? "")")
        }
        try self.init(node: node, directory: URL(fileURLWithPath: path).deletingLastPathComponent().path)
    }

    init(node: Node, directory: String) throws {
        func resolve(_ p: String?) -> String? {
            guard let p, !p.isEmpty else { return nil }
            return p.hasPrefix("/") ? p : directory + "/" + p
        }
        func base64(_ s: String?) throws -> [UInt8]? {
            guard let s, !s.isEmpty else { return nil }
            guard let data = Data(base64Encoded: s, options: .ignoreUnknownCharacters) else {
                throw Failure(description: "kubeconfig holds data that is not base64")
            }
            return Array(data)
        }
        for item in node["clusters"]?.items ?? [] {
            guard let name = item["name"]?.scalar?.text, let c = item["cluster"] else { continue }
            clusters[name] = Cluster(server: c["server"]?.scalar?.text ?? "",
                                     caData: try base64(c["certificate-authority-data"]?.scalar?.text),
                                     caFile: resolve(c["certificate-authority"]?.scalar?.text),
                                     insecure: c["insecure-skip-tls-verify"]?.scalar?.text == "true",
                                     proxyURL: c["proxy-url"]?.scalar?.text, serverName: c["tls-server-name"]?.scalar?.text)
        }
        for item in node["users"]?.items ?? [] {
            guard let name = item["name"]?.scalar?.text, let u = item["user"] else { continue }
            var user = User(certificateData: try base64(u["client-certificate-data"]?.scalar?.text),
                            certificateFile: resolve(u["client-certificate"]?.scalar?.text),
                            keyData: try base64(u["client-key-data"]?.scalar?.text),
                            keyFile: resolve(u["client-key"]?.scalar?.text),
                            token: u["token"]?.scalar?.text, tokenFile: resolve(u["tokenFile"]?.scalar?.text))
            if let e = u["exec"] {
                user.exec = ExecPlugin(
                    apiVersion: e["apiVersion"]?.scalar?.text ?? "client.authentication.k8s.io/v1",
                    command: e["command"]?.scalar?.text ?? "",
                    args: (e["args"]?.items ?? []).compactMap { $0.scalar?.text },
                    env: (e["env"]?.items ?? []).compactMap { v in
                        guard let n = v["name"]?.scalar?.text else { return nil }
                        return (n, v["value"]?.scalar?.text ?? "")
                    },
                    installHint: e["installHint"]?.scalar?.text)
            }
            users[name] = user
        }
        for item in node["contexts"]?.items ?? [] {
            guard let name = item["name"]?.scalar?.text, let c = item["context"] else { continue }
            contexts[name] = Context(cluster: c["cluster"]?.scalar?.text ?? "", user: c["user"]?.scalar?.text ?? "",
                                     namespace: c["namespace"]?.scalar?.text)
        }
        currentContext = node["current-context"]?.scalar?.text
    }

    /// kubectl's merge of several files: the first to name a cluster, user or context wins, and the first to set
    /// the current context sets it.
    public func merged(with later: Kubeconfig) -> Kubeconfig {
        var out = self
        out.clusters.merge(later.clusters) { first, _ in first }
        out.users.merge(later.users) { first, _ in first }
        out.contexts.merge(later.contexts) { first, _ in first }
        if out.currentContext?.isEmpty ?? true { out.currentContext = later.currentContext }
        return out
    }

    /// The files kubectl would read: `--kubeconfig`, else `$KUBECONFIG` (a `:`-separated list), else
    /// `~/.kube/config`.
    public static func load(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Kubeconfig {
        if let explicit { return try Kubeconfig(file: explicit) }
        if let list = environment["KUBECONFIG"], !list.isEmpty {
            let files = list.split(separator: ":").map(String.init).filter { FileManager.default.fileExists(atPath: $0) }
            guard !files.isEmpty else { throw Failure(description: "none of the files in KUBECONFIG exists: \(list)") }
            return try files.map(Kubeconfig.init(file:)).reduce(Kubeconfig()) { $0.merged(with: $1) }
        }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return try Kubeconfig(file: home + "/.kube/config")
    }
}
