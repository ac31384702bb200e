import Foundation
import Schema

/// Where to send API requests and how to authenticate: a kubeconfig context resolved into HTTP settings, or the
/// in-cluster service account.
public struct ClusterTarget: Sendable {
    public var server: String
    public var namespace: String
    public var http: HTTPClientSettings
    /// What the target came from, for messages: `context acme (cluster acme-eks)`, `in-cluster`.
    public var origin: String

    public init(server: String, namespace: String, http: HTTPClientSettings, origin: String) {
        self.server = server
        self.namespace = namespace
        self.http = http
        self.origin = origin
    }

    /// The context `context` (or the current one) of `config`, running its exec credential plugin if it has one.
    public static func from(_ config: Kubeconfig, context name: String?, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws -> ClusterTarget {
        guard let contextName = name ?? config.currentContext, !contextName.isEmpty else {
            throw Kubeconfig.Failure(description: "no context: pass --context, or set current-context in the kubeconfig")
        }
        guard let context = config.contexts[contextName] else {
            throw Kubeconfig.Failure(description: "no context \(contextName) in the kubeconfig (contexts: \(config.contexts.keys.sorted().joined(separator: ", ")))")
        }
        guard let cluster = config.clusters[context.cluster] else {
            throw Kubeconfig.Failure(description: "context \(contextName) names cluster \(context.cluster), which the kubeconfig does not define")
        }
        let user = config.users[context.user] ?? Kubeconfig.User()
        var http = HTTPClientSettings()
        http.tls.caData = cluster.caData
        http.tls.caSource = "certificate-authority-data of cluster \(context.cluster)"
        http.tls.caFile = cluster.caFile
        http.tls.insecure = cluster.insecure
        http.tls.serverName = cluster.serverName
        http.proxy = cluster.proxyURL
        http.tls.certificateData = user.certificateData
        http.tls.certificateFile = user.certificateFile
        http.tls.keyData = user.keyData
        http.tls.keyFile = user.keyFile
        if let token = user.token, !token.isEmpty {
            http.bearerToken = token
        } else if let file = user.tokenFile {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw Kubeconfig.Failure(description: "cannot read the token file \(file) of user \(context.user)")
            }
            http.bearerToken = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        if let exec = user.exec {
            // Run once now, so a missing or failing plugin is an error before any request; the source re-runs it when
            // the credential expires or the server refuses it.
            let credential = try ExecCredential.run(exec, server: cluster.server, environment: environment)
            if let token = credential.token { http.bearerToken = token }
            if let certificate = credential.certificate { http.tls.certificateData = Array(certificate.utf8) }
            if let key = credential.key { http.tls.keyData = Array(key.utf8) }
            http.credentials = ExecCredentialSource(exec, server: cluster.server, environment: environment, initial: credential)
        }
        guard !cluster.server.isEmpty else {
            throw Kubeconfig.Failure(description: "cluster \(context.cluster) has no server")
        }
        return ClusterTarget(server: cluster.server.hasSuffix("/") ? String(cluster.server.dropLast()) : cluster.server,
                             namespace: context.namespace ?? "default", http: http,
                             origin: "context \(contextName) (cluster \(context.cluster))")
    }

    /// Inside a pod: the service account's token and CA, and the API server from KUBERNETES_SERVICE_HOST/PORT.
    public static func inCluster(environment: [String: String] = ProcessInfo.processInfo.environment,
                                 root: String = "/var/run/secrets/kubernetes.io/serviceaccount") -> ClusterTarget? {
        guard let host = environment["KUBERNETES_SERVICE_HOST"], let port = environment["KUBERNETES_SERVICE_PORT"],
              let token = FileManager.default.contents(atPath: root + "/token") else { return nil }
        var http = HTTPClientSettings()
        http.bearerToken = String(decoding: token, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        http.tls.caFile = root + "/ca.crt"
        let namespace = FileManager.default.contents(atPath: root + "/namespace").map {
            String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        } ?? "default"
        let server = host.contains(":") ? "https://[\(host)]:\(port)" : "https://\(host):\(port)"
        return ClusterTarget(server: server, namespace: namespace, http: http, origin: "in-cluster service account")
    }
}
