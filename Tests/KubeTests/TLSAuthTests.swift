import Foundation
import Kube
import TestSupport
import Testing

/// Kubeconfig certificate users against an HTTPS test API server that requires client certificates.
@Suite(.serialized)
struct TLSAuthTests {
    /// A kubeconfig for `server` whose cluster and user are the given YAML lines.
    func kubeconfig(_ certificates: TestCertificates, cluster: String, user: String) throws -> ClusterTarget {
        let file = certificates.directory.appendingPathComponent("kubeconfig-\(UUID().uuidString)")
        try """
            apiVersion: v1
            kind: Config
            current-context: tls
            clusters:
            - name: tls
              cluster:
            \(cluster)
            users:
            - name: admin
              user:
            \(user)
            contexts:
            - name: tls
              context: {cluster: tls, user: admin}
            """.write(to: file, atomically: true, encoding: .utf8)
        var target = try ClusterTarget.from(try Kubeconfig(file: file.path), context: nil)
        target.http.retry = RetryPolicy(attempts: 1, initialDelay: 0.01, maxDelay: 0.01, deadline: 2)
        return target
    }

    func base64(_ path: String) throws -> String { try Data(contentsOf: URL(fileURLWithPath: path)).base64EncodedString() }

    @Test func clientCertificatesAsDataOrFilesAuthenticate() async throws {
        let certificates = try TestCertificates()
        defer { certificates.remove() }
        let server = try TestAPIServer(tls: .init(certificate: certificates.serverCertificate, key: certificates.serverKey,
                                                  clientCA: certificates.caCertificate))
        defer { server.stop() }
        let asData = try kubeconfig(certificates, cluster: """
                server: \(server.url)
                certificate-authority-data: \(try base64(certificates.caCertificate))
            """, user: """
                client-certificate-data: \(try base64(certificates.clientCertificate))
                client-key-data: \(try base64(certificates.clientKey))
            """)
        #expect(try await KubeClient(asData).list(apiVersion: "v1", kind: "Namespace", namespace: nil).count
                == TestAPIServer.initialNamespaces.count)
        let asFiles = try kubeconfig(certificates, cluster: """
                server: \(server.url)
                certificate-authority: \(certificates.caCertificate)
            """, user: """
                client-certificate: \(certificates.clientCertificate)
                client-key: \(certificates.clientKey)
            """)
        #expect(try await KubeClient(asFiles).get(ObjectReference(apiVersion: "v1", kind: "Namespace", namespace: nil, name: "x")) == nil)
        #expect(!server.clientSubjects.isEmpty)
        #expect(server.clientSubjects.allSatisfy { $0 == "/CN=kiln-admin" })
    }

    @Test func noClientCertificateOrAnUntrustedServerIsRefused() async throws {
        let certificates = try TestCertificates()
        defer { certificates.remove() }
        let other = try TestCertificates()
        defer { other.remove() }
        let server = try TestAPIServer(tls: .init(certificate: certificates.serverCertificate, key: certificates.serverKey,
                                                  clientCA: certificates.caCertificate))
        defer { server.stop() }
        let noCertificate = try kubeconfig(certificates, cluster: """
                server: \(server.url)
                certificate-authority: \(certificates.caCertificate)
            """, user: "    token: not-enough")
        await #expect(throws: HTTPError.self) { try await KubeClient(noCertificate).list(apiVersion: "v1", kind: "Namespace", namespace: nil) }
        // The server's certificate is not signed by the CA the kubeconfig trusts.
        let wrongCA = try kubeconfig(certificates, cluster: """
                server: \(server.url)
                certificate-authority: \(other.caCertificate)
            """, user: """
                client-certificate: \(certificates.clientCertificate)
                client-key: \(certificates.clientKey)
            """)
        do {
            _ = try await KubeClient(wrongCA).list(apiVersion: "v1", kind: "Namespace", namespace: nil)
            Issue.record("expected the server certificate to be refused")
        } catch let error as HTTPError {
            guard case let .untrusted(_, ca, _) = error else { Issue.record("expected .untrusted, got \(error)"); return }
            #expect(ca.contains(other.caCertificate))
            #expect("\(error)".contains("the server's certificate is not signed by the CA in \(other.caCertificate)"), "\(error)")
        }
        // A client certificate another CA signed.
        let foreignClient = try kubeconfig(certificates, cluster: """
                server: \(server.url)
                certificate-authority: \(certificates.caCertificate)
            """, user: """
                client-certificate: \(other.clientCertificate)
                client-key: \(other.clientKey)
            """)
        await #expect(throws: HTTPError.self) { try await KubeClient(foreignClient).list(apiVersion: "v1", kind: "Namespace", namespace: nil) }
        #expect(server.requestLog.isEmpty, "no request got past the handshake")
    }

    @Test func anUntrustedServerNamesTheInlineCAsCluster() async throws {
        let certificates = try TestCertificates()
        defer { certificates.remove() }
        let other = try TestCertificates()
        defer { other.remove() }
        let server = try TestAPIServer(tls: .init(certificate: certificates.serverCertificate, key: certificates.serverKey))
        defer { server.stop() }
        let target = try kubeconfig(certificates, cluster: """
                server: \(server.url)
                certificate-authority-data: \(try base64(other.caCertificate))
            """, user: "    token: abc")
        do {
            _ = try await KubeClient(target).list(apiVersion: "v1", kind: "Namespace", namespace: nil)
            Issue.record("expected the server certificate to be refused")
        } catch let error as HTTPError {
            #expect("\(error)".contains("not signed by the CA in certificate-authority-data of cluster tls"), "\(error)")
        }
    }

    @Test func tlsServerNameVerifiesTheCertificateAgainstThatName() async throws {
        let certificates = try TestCertificates()
        defer { certificates.remove() }
        // kiln hangs up after the handshake when the name does not match; the test server's TLS write to the closed
        // socket would raise SIGPIPE and end the test process.
        signal(SIGPIPE, SIG_IGN)
        let named = try NamedServerCertificate(in: certificates, dnsName: "kube.internal")
        let server = try TestAPIServer(tls: .init(certificate: named.certificate, key: named.key))
        defer { server.stop() }
        let cluster = """
                server: \(server.url)
                certificate-authority: \(certificates.caCertificate)
            """
        // The certificate names kube.internal, not 127.0.0.1: refused without tls-server-name, accepted with it.
        do {
            _ = try await KubeClient(try kubeconfig(certificates, cluster: cluster, user: "    token: abc"))
                .list(apiVersion: "v1", kind: "Namespace", namespace: nil)
            Issue.record("expected a name mismatch")
        } catch let error as HTTPError {
            guard case .untrusted = error else { Issue.record("expected .untrusted, got \(error)"); return }
            #expect("\(error)".contains("tls-server-name"), "\(error)")
        }
        let target = try kubeconfig(certificates, cluster: cluster + "\n    tls-server-name: kube.internal", user: "    token: abc")
        #expect(target.http.tls.serverName == "kube.internal")
        #expect(try await KubeClient(target).list(apiVersion: "v1", kind: "Namespace", namespace: nil).contains { $0["metadata"]?["name"] == .string("default") })
        #expect(server.authorizationLog.last == "Bearer abc")
    }

    @Test func insecureSkipTLSVerifyTrustsAnyServer() async throws {
        let certificates = try TestCertificates()
        defer { certificates.remove() }
        let server = try TestAPIServer(tls: .init(certificate: certificates.serverCertificate, key: certificates.serverKey))
        defer { server.stop() }
        let insecure = try kubeconfig(certificates, cluster: """
                server: \(server.url)
                insecure-skip-tls-verify: true
            """, user: "    token: abc")
        #expect(try await KubeClient(insecure).list(apiVersion: "v1", kind: "Namespace", namespace: nil).count
                == TestAPIServer.initialNamespaces.count)
        #expect(server.authorizationLog.last == "Bearer abc")
    }
}
