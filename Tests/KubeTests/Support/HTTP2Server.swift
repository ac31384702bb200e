import Foundation

/// nghttpd (Debian's nghttp2-server) serving a directory over HTTP/2 with TLS on 127.0.0.1, its verbose frame log
/// kept so a test can count the connections and streams the server saw.
final class HTTP2Server: @unchecked Sendable {
    static let executable = ["/usr/bin/nghttpd", "/usr/sbin/nghttpd"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static var available: Bool { executable != nil }

    let port: UInt16
    private let process = Process()
    private let logFile: String

    var url: String { "https://127.0.0.1:\(port)" }

    init(root: String, certificate: String, key: String) throws {
        guard let executable = Self.executable else { throw POSIXError(.ENOENT) }
        port = try Self.freePort()
        logFile = root + "/../nghttpd-\(port).log"
        _ = FileManager.default.createFile(atPath: logFile, contents: nil)
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["-v", "-a", "127.0.0.1", "-d", root, "\(port)", key, certificate]
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: logFile))
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Until it listens: at most 5 s.
        for _ in 0..<250 {
            if Self.listening(port) { break }
            usleep(20_000)
        }
    }

    /// SIGKILL: nghttpd ignores SIGTERM.
    func stop() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// The log's lines so far.
    var log: [Substring] {
        (try? String(contentsOfFile: logFile, encoding: .utf8))?.split(separator: "\n") ?? []
    }

    /// Connections that carried a request (nghttpd numbers each `[id=N]`; the readiness probe's carry none).
    var connections: Int {
        Set(log.compactMap { $0.hasPrefix("[id=") && $0.contains(":method:") ? $0.prefix { $0 != "]" } : nil }).count
    }

    /// Requests received (one `:method:` header per stream).
    var streams: Int { log.filter { $0.contains(":method:") }.count }

    private static func freePort() throws -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard ok else { throw POSIXError(.EADDRINUSE) }
        return UInt16(bigEndian: address.sin_port)
    }

    private static func listening(_ port: UInt16) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = port.bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}
