import Foundation
import Schema

/// Runs a kubeconfig `exec` credential plugin (`client.authentication.k8s.io/v1`, as EKS and GKE use) and reads
/// the ExecCredential it prints.
public enum ExecCredential {
    public struct Credential: Sendable, Equatable {
        public var token: String?
        public var certificate: String?
        public var key: String?
        /// `status.expirationTimestamp`: the plugin must run again from then on; nil when it did not say.
        public var expiration: Date?

        var http: HTTPCredential {
            HTTPCredential(token: token, certificate: certificate.map { Array($0.utf8) }, key: key.map { Array($0.utf8) })
        }
    }

    /// Runs the plugin (blocking the calling thread) and reads its credential. A plugin still running after `timeout`
    /// seconds is killed: an interactive login waiting for input must not hang kiln.
    public static func run(_ plugin: Kubeconfig.ExecPlugin, server: String, environment: [String: String],
                           timeout: Double = 120) throws -> Credential {
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
        let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
        defer { watchdog.cancel() }
        // Both pipes drain at once: a plugin that fills one while kiln waits on the other would block forever.
        let stderr = Drain(err.fileHandleForReading)
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let diagnostics = stderr.wait()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let message = String(decoding: diagnostics.suffix(4096), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            let why = process.terminationReason == .uncaughtSignal ? "was stopped after \(Int(timeout)) s" : "failed (exit \(process.terminationStatus))"
            throw Kubeconfig.Failure(description: "the credential plugin \(command) \(why)" + (message.isEmpty ? "" : ": \(message.prefix(500))"))
        }
        guard let json = try? JSONReader.parse(String(decoding: stdout, as: UTF8.self)), json["kind"]?.stringValue == "ExecCredential" else {
            throw Kubeconfig.Failure(description: "the credential plugin \(command) did not print an ExecCredential")
        }
        let status = json["status"]
        let credential = Credential(token: status?["token"]?.stringValue, certificate: status?["clientCertificateData"]?.stringValue,
                                    key: status?["clientKeyData"]?.stringValue,
                                    expiration: status?["expirationTimestamp"]?.stringValue.flatMap(RFC3339.date))
        guard credential.token != nil || credential.certificate != nil else {
            throw Kubeconfig.Failure(description: "the credential plugin \(command) returned neither a token nor a certificate")
        }
        return credential
    }
}

/// Reads a pipe to its end on another thread.
private final class Drain: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        DispatchQueue.global().async {
            self.data = handle.readDataToEndOfFile()
            self.done.signal()
        }
    }

    func wait() -> Data {
        done.wait()
        return data
    }
}

/// RFC 3339 timestamps as Kubernetes writes them: `2026-01-02T03:04:05Z`, with or without fractional seconds.
enum RFC3339 {
    static func date(_ text: String) -> Date? {
        let plain = ISO8601DateFormatter()
        if let date = plain.date(from: text) { return date }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: text)
    }
}
