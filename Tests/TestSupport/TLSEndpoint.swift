import CSSL
import Foundation

/// The TLS side of the test API server: OpenSSL with a server certificate, and (when a client CA is given) client
/// certificates required and verified, as an API server does for certificate users.
final class TLSEndpoint: @unchecked Sendable {
    private let context: OpaquePointer

    init(_ files: TestAPIServer.TLSFiles) throws {
        guard let context = SSL_CTX_new(TLS_server_method()) else { throw POSIXError(.EINVAL) }
        self.context = context
        guard SSL_CTX_use_certificate_chain_file(context, files.certificate) == 1,
              SSL_CTX_use_PrivateKey_file(context, files.key, SSL_FILETYPE_PEM) == 1 else {
            SSL_CTX_free(context)
            throw POSIXError(.EINVAL)
        }
        if let clientCA = files.clientCA {
            guard SSL_CTX_load_verify_locations(context, clientCA, nil) == 1 else {
                SSL_CTX_free(context)
                throw POSIXError(.EINVAL)
            }
            SSL_CTX_set_verify(context, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nil)
        }
    }

    deinit { SSL_CTX_free(context) }

    /// The handshake on an accepted socket; nil when it fails (no client certificate, one the CA did not sign...).
    func accept(_ fd: Int32) -> Session? {
        guard let ssl = SSL_new(context) else { return nil }
        SSL_set_fd(ssl, fd)
        guard SSL_accept(ssl) == 1 else {
            SSL_free(ssl)
            return nil
        }
        return Session(ssl)
    }

    final class Session {
        let ssl: OpaquePointer

        init(_ ssl: OpaquePointer) { self.ssl = ssl }

        deinit {
            SSL_shutdown(ssl)
            SSL_free(ssl)
        }

        func read(_ buffer: inout [UInt8]) -> Int {
            Int(buffer.withUnsafeMutableBytes { SSL_read(ssl, $0.baseAddress, Int32($0.count)) })
        }

        func write(_ bytes: ArraySlice<UInt8>) -> Int {
            Int(bytes.withUnsafeBytes { SSL_write(ssl, $0.baseAddress, Int32($0.count)) })
        }

        /// The verified client certificate's subject, `/CN=kiln-admin`; empty without one.
        var peerSubject: String {
            guard let certificate = SSL_get1_peer_certificate(ssl) else { return "" }
            defer { X509_free(certificate) }
            guard let name = X509_get_subject_name(certificate), let text = X509_NAME_oneline(name, nil, 0) else { return "" }
            defer { CRYPTO_free(text, #file, #line) }
            return String(cString: text)
        }
    }
}

/// A throwaway certificate authority, a server certificate for 127.0.0.1 and a client certificate, made with the
/// `openssl` command (Debian's `openssl` package) in a fresh directory.
public struct TestCertificates: Sendable {
    public let directory: URL
    public var caCertificate: String { directory.appendingPathComponent("ca.crt").path }
    public var serverCertificate: String { directory.appendingPathComponent("server.crt").path }
    public var serverKey: String { directory.appendingPathComponent("server.key").path }
    public var clientCertificate: String { directory.appendingPathComponent("client.crt").path }
    public var clientKey: String { directory.appendingPathComponent("client.key").path }

    /// `clientName` becomes the client certificate's common name: the user the API server sees.
    public init(clientName: String = "kiln-admin") throws {
        directory = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("kiln-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let curve = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try run(["req", "-x509"] + curve + ["-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=kiln-test-ca"])
        for (name, subject, extensions) in [("server", "/CN=127.0.0.1", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n"),
                                            ("client", "/CN=\(clientName)", "extendedKeyUsage=clientAuth\n")] {
            try extensions.write(to: directory.appendingPathComponent("\(name).ext"), atomically: true, encoding: .utf8)
            try run(["req"] + curve + ["-keyout", "\(name).key", "-out", "\(name).csr", "-subj", subject])
            try run(["x509", "-req", "-in", "\(name).csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                     "-out", "\(name).crt", "-days", "2", "-extfile", "\(name).ext"])
        }
    }

    public func file(_ name: String) -> String { directory.appendingPathComponent(name).path }

    public func remove() { try? FileManager.default.removeItem(at: directory) }

    private func run(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw POSIXError(.EINVAL, userInfo: [NSLocalizedDescriptionKey: "openssl \(arguments.joined(separator: " ")) failed"])
        }
    }
}
