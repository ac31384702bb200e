import Foundation
import Kube
import TestSupport
import Testing

struct KubeconfigTests {
    func directory() throws -> URL {
        let dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("kiln-kubeconfig-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    let pem = Data("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n".utf8).base64EncodedString()

    @Test func readsClustersUsersContextsAndResolvesRelativePaths() throws {
        let dir = try directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try "tok-from-file\n".write(to: dir.appendingPathComponent("token"), atomically: true, encoding: .utf8)
        let file = dir.appendingPathComponent("config")
        try """
            apiVersion: v1
            kind: Config
            current-context: acme
            clusters:
              - name: acme-eks
                cluster:
                  server: https://acme.example.com:6443
                  certificate-authority-data: \(pem)
                  proxy-url: http://proxy.example.com:3128
              - name: lab
                cluster:
                  server: https://lab:6443
                  certificate-authority: ca.crt
                  insecure-skip-tls-verify: true
            users:
              - name: admin
                user:
                  client-certificate-data: \(pem)
                  client-key-data: \(pem)
              - name: robot
                user:
                  tokenFile: token
            contexts:
              - name: acme
                context: {cluster: acme-eks, user: admin, namespace: domino-platform}
              - name: lab
                context: {cluster: lab, user: robot}
            """.write(to: file, atomically: true, encoding: .utf8)
        let config = try Kubeconfig(file: file.path)
        #expect(config.currentContext == "acme")
        #expect(config.clusters["lab"]?.caFile == dir.path + "/ca.crt")
        let acme = try ClusterTarget.from(config, context: nil)
        #expect(acme.server == "https://acme.example.com:6443")
        #expect(acme.namespace == "domino-platform")
        #expect(acme.http.proxy == "http://proxy.example.com:3128")
        #expect(acme.http.tls.certificateData == Array("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n".utf8))
        #expect(acme.http.tls.caData != nil)
        let lab = try ClusterTarget.from(config, context: "lab")
        #expect(lab.http.bearerToken == "tok-from-file")
        #expect(lab.http.tls.insecure)
        #expect(lab.namespace == "default")
        #expect(throws: Kubeconfig.Failure.self) { try ClusterTarget.from(config, context: "nope") }
    }

    @Test func mergesTheKUBECONFIGListFirstFileWinning() throws {
        let dir = try directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = dir.appendingPathComponent("a"), b = dir.appendingPathComponent("b")
        try "clusters: [{name: c, cluster: {server: https://a:6443}}]\nusers: [{name: u, user: {token: A}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\n"
            .write(to: a, atomically: true, encoding: .utf8)
        try "current-context: x\nclusters: [{name: c, cluster: {server: https://b:6443}}, {name: d, cluster: {server: https://d:6443}}]\ncontexts: [{name: y, context: {cluster: d, user: u}}]\n"
            .write(to: b, atomically: true, encoding: .utf8)
        let merged = try Kubeconfig.load(explicit: nil, environment: ["KUBECONFIG": "\(a.path):\(b.path)"])
        #expect(merged.clusters["c"]?.server == "https://a:6443")
        #expect(merged.clusters["d"] != nil)
        #expect(merged.currentContext == "x")
        #expect(try ClusterTarget.from(merged, context: "y").http.bearerToken == "A")
    }

    @Test func runsExecCredentialPlugins() throws {
        let dir = try directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let plugin = dir.appendingPathComponent("aws-iam-token")
        try """
            #!/bin/sh
            case "$KUBERNETES_EXEC_INFO" in *ExecCredential*) ;; *) echo "no exec info" >&2; exit 3;; esac
            echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"exec-'"$CLUSTER_NAME"'"}}'
            """.write(to: plugin, atomically: true, encoding: .utf8)
        chmod(plugin.path, 0o755)
        let config = try write(dir, user: """
            exec:
              apiVersion: client.authentication.k8s.io/v1
              command: \(plugin.path)
              env: [{name: CLUSTER_NAME, value: acme}]
            """)
        #expect(try ClusterTarget.from(config, context: "x").http.bearerToken == "exec-acme")
    }

    @Test func aMissingOrFailingPluginIsAClearError() throws {
        let dir = try directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let missing = try write(dir, user: "exec: {command: gke-gcloud-auth-plugin-not-here, installHint: 'Install it with gcloud components install gke-gcloud-auth-plugin'}")
        do {
            _ = try ClusterTarget.from(missing, context: "x", environment: ["PATH": "/usr/bin:/bin"])
            Issue.record("expected an error")
        } catch let failure as Kubeconfig.Failure {
            #expect(failure.description.contains("is not installed"))
            #expect(failure.description.contains("gcloud components install"))
        }
        let failing = dir.appendingPathComponent("fails")
        try "#!/bin/sh\necho 'token expired: run aws sso login' >&2\nexit 1\n".write(to: failing, atomically: true, encoding: .utf8)
        chmod(failing.path, 0o755)
        let config = try write(dir, user: "exec: {command: \(failing.path)}")
        do {
            _ = try ClusterTarget.from(config, context: "x")
            Issue.record("expected an error")
        } catch let failure as Kubeconfig.Failure {
            #expect(failure.description.contains("failed (exit 1): token expired: run aws sso login"))
        }
    }

    @Test func inClusterConfigUsesTheServiceAccount() throws {
        let dir = try directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try "sa-token".write(to: dir.appendingPathComponent("token"), atomically: true, encoding: .utf8)
        try "domino-operator".write(to: dir.appendingPathComponent("namespace"), atomically: true, encoding: .utf8)
        let target = try #require(ClusterTarget.inCluster(environment: ["KUBERNETES_SERVICE_HOST": "10.96.0.1", "KUBERNETES_SERVICE_PORT": "443"],
                                                          root: dir.path))
        #expect(target.server == "https://10.96.0.1:443")
        #expect(target.http.bearerToken == "sa-token")
        #expect(target.namespace == "domino-operator")
        #expect(ClusterTarget.inCluster(environment: [:], root: dir.path) == nil)
    }

    func write(_ dir: URL, user: String) throws -> Kubeconfig {
        let file = dir.appendingPathComponent("kubeconfig-\(UUID().uuidString)")
        let indented = user.split(separator: "\n").map { "      " + $0 }.joined(separator: "\n")
        try "current-context: x\nclusters: [{name: c, cluster: {server: https://c:6443}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\nusers:\n  - name: u\n    user:\n\(indented)\n"
            .write(to: file, atomically: true, encoding: .utf8)
        return try Kubeconfig(file: file.path)
    }
}
