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
            let credential = try ExecCredential.run(exec, server: cluster.server, environment: environment)
            if let token = credential.token { http.bearerToken = token }
            if let certificate = credential.certificate { http.tls.certificateData = Array(certificate.utf8) }
            if let key = credential.key { http.tls.keyData = Array(key.utf8) }
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

/// Runs a kubeconfig `exec` credential plugin (`client.authentication.k8s.io/v1`, as EKS and GKE use) and reads
/// the ExecCredential it prints.
public enum ExecCredential {
    public struct Credential: Sendable {
        public var token: String?
        public var certificate: String?
        public var key: String?
    }

    public static func run(_ plugin: Kubeconfig.ExecPlugin, server: String, environment: [String: String]) throws -> Credential {
        let process = Process()
        let command = plugin.command
        if command.contains("/") {
            process.executableURL = URL(fileURLWithPath: command)
        } else {
            guard let path = (environment["PATH"] ?? "").split(separator: ":").map({ "\($0)/\(command)" })
                .first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
                throw Kubeconfig.Failure(description: "the credential plugin `\(command)` is not installed (not on PATH)"
                    + (plugin.installHint.map { "\n\($0)" } ?? ""))
            }
            process.executableURL = URL(fileURLWithPath: path)
        }
        process.arguments = plugin.args
        var env = environment
        for (name, value) in plugin.env { env[name] = value }
        env["KUBERNETES_EXEC_INFO"] = "{\"apiVersion\":\"\(plugin.apiVersion)\",\"kind\":\"ExecCredential\",\"spec\":{\"interactive\":false,\"cluster\":{\"server\":\(JSONValue.quote(server))}}}"
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch {
            throw Kubeconfig.Failure(description: "cannot run the credential plugin \(command): \(error.localizedDescription)"
                + (plugin.installHint.map { "\n\($0)" } ?? ""))
        }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let message = String(decoding: stderr, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw Kubeconfig.Failure(description: "the credential plugin \(command) failed (exit \(process.terminationStatus))"
                + (message.isEmpty ? "" : ": \(message.prefix(500))"))
        }
        guard let json = try? JSONReader.parse(String(decoding: stdout, as: UTF8.self)), json["kind"]?.stringValue == "ExecCredential" else {
            throw Kubeconfig.Failure(description: "the credential plugin \(command) did not print an ExecCredential")
        }
        let status = json["status"]
        let credential = Credential(token: status?["token"]?.stringValue, certificate: status?["clientCertificateData"]?.stringValue,
                                    key: status?["clientKeyData"]?.stringValue)
        guard credential.token != nil || credential.certificate != nil else {
            throw Kubeconfig.Failure(description: "the credential plugin \(command) returned neither a token nor a certificate")
        }
        return credential
    }
}
