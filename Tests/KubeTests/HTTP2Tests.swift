import Foundation
import Kube
import TestSupport
import Testing

/// Concurrent requests to a server that speaks HTTP/2 share one connection.
@Suite(.serialized)
struct HTTP2Tests {
    @Test(.enabled(if: HTTP2Server.available, "nghttpd is not installed (apt-get install nghttp2-server): HTTP/2 multiplexing untested"))
    func concurrentRequestsAreMultiplexedOverOneConnection() async throws {
        let certificates = try TestCertificates()
        defer { certificates.remove() }
        let root = certificates.file("root")
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let payload = String(repeating: "kiln ", count: 400_000)
        try payload.write(toFile: root + "/apis", atomically: true, encoding: .utf8)
        let server = try HTTP2Server(root: root, certificate: certificates.serverCertificate, key: certificates.serverKey)
        defer { server.stop() }
        var settings = HTTPClientSettings()
        settings.tls.caFile = certificates.caCertificate
        settings.retry = .none
        let http = HTTPClient(settings)
        let count = 8
        let url = server.url + "/apis"
        let versions = try await withThrowingTaskGroup(of: (String, Int).self) { group in
            for _ in 0..<count {
                group.addTask {
                    let response = try await http.send(HTTPRequest("GET", url))
                    return (response.version, response.body.count)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(versions.count == count)
        #expect(versions.allSatisfy { $0.0 == "2" && $0.1 == payload.utf8.count }, "\(versions)")
        #expect(http.connectionsOpened == 1)
        #expect(await eventually { server.streams == count }, "the server saw \(server.streams) requests")
        #expect(server.connections == 1, "the server saw \(server.connections) connections")
    }
}
