import Foundation
import TestSupport

/// A server certificate, signed by `certificates`' CA, that names only `dnsName` (no IP address): for
/// tls-server-name, whose server is reached at 127.0.0.1 but must be verified against the name.
struct NamedServerCertificate {
    let certificate: String
    let key: String

    init(in certificates: TestCertificates, dnsName: String) throws {
        certificate = certificates.file("named.crt")
        key = certificates.file("named.key")
        try "subjectAltName=DNS:\(dnsName)\nextendedKeyUsage=serverAuth\n".write(toFile: certificates.file("named.ext"), atomically: true, encoding: .utf8)
        try Self.openssl(["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key,
                          "-out", certificates.file("named.csr"), "-subj", "/CN=\(dnsName)"])
        try Self.openssl(["x509", "-req", "-in", certificates.file("named.csr"), "-CA", certificates.caCertificate,
                          "-CAkey", certificates.file("ca.key"), "-CAcreateserial", "-out", certificate, "-days", "2",
                          "-extfile", certificates.file("named.ext")])
    }

    private static func openssl(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw POSIXError(.EINVAL) }
    }
}
