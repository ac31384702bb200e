import Foundation

/// Debian's `docker-registry` (distribution 2.8) started for one test: a config in a temporary directory (filesystem
/// storage there, `127.0.0.1:<free port>`, optionally htpasswd basic auth), waited for until `/v2/` answers, killed by
/// `stop()`. Missing binary: a failure saying what to install, never a silent skip.
final class LocalRegistry {
    static let binary = "/usr/bin/docker-registry"
    let directory: TemporaryDirectory
    let port: UInt16
    let process = Process()
    let login: (user: String, password: String)?

    var address: String { "127.0.0.1:\(port)" }
    var storage: String { directory.path + "/data" }

    struct Missing: Error, CustomStringConvertible {
        let description: String
    }

    init(login: (user: String, password: String)? = nil) throws {
        guard FileManager.default.isExecutableFile(atPath: Self.binary) else {
            throw Missing(description: "\(Self.binary) is not installed: `apt-get install -y docker-registry apache2-utils` (the bundle tests start their own registries)")
        }
        directory = try TemporaryDirectory()
        self.login = login
        port = try Self.freePort()
        var auth = ""
        if let login {
            let line = try Self.htpasswd(login.user, login.password)
            try line.write(toFile: directory.path + "/htpasswd", atomically: true, encoding: .utf8)
            auth = "auth:\n  htpasswd:\n    realm: kiln-test\n    path: \(directory.path)/htpasswd\n"
        }
        let config = """
            version: 0.1
            log:
              level: error
              accesslog:
                disabled: true
            storage:
              filesystem:
                rootdirectory: \(storage)
              delete:
                enabled: true
            http:
              addr: 127.0.0.1:\(port)
            \(auth)
            """
        try config.write(toFile: directory.path + "/config.yml", atomically: true, encoding: .utf8)
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = ["serve", directory.path + "/config.yml"]
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        try waitUntilListening()
    }

    func stop() {
        if process.isRunning { process.terminate(); process.waitUntilExit() }
        directory.remove()
    }

    /// Blobs the registry stores (each once, whatever repositories link it).
    var storedBlobs: Int {
        let root = storage + "/docker/registry/v2/blobs/sha256"
        let prefixes = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return prefixes.reduce(0) { $0 + ((try? FileManager.default.contentsOfDirectory(atPath: "\(root)/\($1)"))?.count ?? 0) }
    }

    private func waitUntilListening() throws {
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline {
            if Self.connects(port) { return }
            guard process.isRunning else { throw Missing(description: "docker-registry exited at once (status \(process.terminationStatus))") }
            Thread.sleep(forTimeInterval: 0.05)
        }
        stop()
        throw Missing(description: "docker-registry did not listen on \(address) within 15 s")
    }

    static func connects(_ port: UInt16) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = port.bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

    static func freePort() throws -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = getsockname(fd, $0, &length) }
        }
        return UInt16(bigEndian: address.sin_port)
    }

    /// A bcrypt htpasswd line (`htpasswd -Bbn`, apache2-utils), which distribution's htpasswd auth needs.
    static func htpasswd(_ user: String, _ password: String) throws -> String {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/htpasswd") else {
            throw Missing(description: "/usr/bin/htpasswd is not installed: `apt-get install -y apache2-utils`")
        }
        let result = try blockingSystem("/usr/bin/htpasswd", ["-Bbn", user, password], in: "/")
        guard result.status == 0 else { throw Missing(description: "htpasswd failed: \(result.output)") }
        return result.output.trimmingCharacters(in: .whitespacesAndNewlines) + "\n"
    }
}
