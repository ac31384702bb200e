import Foundation
import TestSupport

/// Runs the built `kiln` binary as a user would, capturing its output and exit status.
struct KilnBinary {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static let package = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The binary beside the test bundle (the same build), found without assuming a scratch path.
    static let url: URL = {
        var candidates = [Bundle.main.bundleURL.appendingPathComponent("kiln"),
                          Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("kiln")]
        candidates.append(package.appendingPathComponent(".build/debug/kiln"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }()

    /// Runs the binary off Swift's cooperative pool (see `offPool`): a CLI test blocking a pool thread for seconds
    /// starved the network tests running beside it on CI's two cores.
    static func run(_ arguments: [String], stdin: String? = nil, in directory: URL? = nil,
                    environment: [String: String] = [:], unset: [String] = []) async throws -> Result {
        let outcome = await offPool { Swift.Result { try runBlocking(arguments, stdin: stdin, in: directory, environment: environment, unset: unset) } }
        return try outcome.get()
    }

    static func runBlocking(_ arguments: [String], stdin: String? = nil, in directory: URL? = nil,
                            environment: [String: String] = [:], unset: [String] = []) throws -> Result {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        process.currentDirectoryURL = directory ?? package
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        for (k, v) in environment { env[k] = v }
        for k in unset { env[k] = nil }
        process.environment = env
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// Where this test process keeps its kubeconfigs; what an earlier, finished run left there goes when it is made.
    static let scratch: URL = {
        let base = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("kiln-cli-tests")
        for name in (try? FileManager.default.contentsOfDirectory(atPath: base.path)) ?? [] {
            // A directory per process, named by its pid: kill(pid, 0) says ESRCH once that process is gone (EPERM: it
            // runs, as another user).
            if let pid = Int32(name), kill(pid, 0) == 0 || errno == EPERM { continue }
            try? FileManager.default.removeItem(at: base.appendingPathComponent(name))
        }
        return base.appendingPathComponent("\(getpid())")
    }()

    /// A kubeconfig naming `server` (trusting `certificateAuthority`, a file, if given), with a bearer token, in a fresh
    /// directory (context `test`).
    static func kubeconfig(_ server: String, token: String = "secret-token-abc", certificateAuthority: String? = nil) throws -> URL {
        let dir = scratch.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("kubeconfig")
        try """
            apiVersion: v1
            kind: Config
            current-context: test
            clusters:
            - name: test
              cluster: {server: "\(server)"\(certificateAuthority.map { ", certificate-authority: \"\($0)\"" } ?? "")}
            users:
            - name: admin
              user: {token: \(token)}
            contexts:
            - name: test
              context: {cluster: test, user: admin}
            """.write(to: file, atomically: true, encoding: .utf8)
        return file
    }
}
