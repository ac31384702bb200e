import Foundation
import Schema
import TestSupport
import Testing

/// apply, diff, status and drift as a user runs them: the built binary, a kubeconfig, and the test API server.
@Suite(.serialized)
struct ClusterCommandTests {
    let env = ["QUAY_PASSWORD": "quay-pw-123", "SMTP_PASSWORD": "smtp-pw-456"]
    let example = KilnBinary.package.appendingPathComponent("examples/data-plane.yaml").path

    func kubeconfig(_ server: String) throws -> URL { try KilnBinary.kubeconfig(server) }

    func kiln(_ arguments: [String], _ config: URL) async throws -> KilnBinary.Result {
        try await KilnBinary.run(arguments + ["--kubeconfig", config.path, "--timeout", "10s"], environment: env)
    }


    @Test
    func applyThenDiffStatusAndDrift() async throws {
        let server = try TestAPIServer()
        defer { server.stop() }
        let config = try kubeconfig(server.url)
        let before = try await kiln(["status", example], config)
        #expect(before.status == 1)
        #expect(before.stdout.contains("NotFound"))
        let diff = try await kiln(["diff", example], config)
        #expect(diff.status == 1, "changes to make: exit 1")
        #expect(diff.stderr.contains("to create, 0 to change, 0 to prune"))
        let applied = try await kiln(["apply", example], config)
        #expect(applied.status == 0, "\(applied.stderr)")
        #expect(applied.stdout.contains("created"))
        #expect(applied.stderr.contains("wave 1/"), "plain progress lines when not a terminal")
        #expect(!applied.stdout.contains("secret-token-abc") && !applied.stderr.contains("secret-token-abc"))
        #expect(server.authorizationLog.allSatisfy { $0 == "Bearer secret-token-abc" })
        let again = try await kiln(["diff", example], config)
        #expect(again.status == 0, "\(again.stdout)")
        let status = try await kiln(["status", example, "--format", "json"], config)
        #expect(status.status == 0)
        let releases = try JSONReader.parse(status.stdout).arrayValue ?? []
        #expect(!releases.isEmpty && releases.allSatisfy { $0["ready"] == .bool(true) })
        #expect(try await kiln(["drift", example], config).status == 0)
        server.write(by: "kubectl-edit", key: "apps/v1/deployments/domino-compute/auth-proxy", path: ["spec", "replicas"], value: .number(5))
        let drift = try await kiln(["drift", example, "--correct"], config)
        #expect(drift.status == 1)
        #expect(drift.stdout.contains("-  replicas: 5"))
        #expect(drift.stderr.contains("corrected 1 object(s)"))
        #expect(try await kiln(["drift", example], config).status == 0)
        // Without the config: what the inventory records.
        let inventory = try await KilnBinary.run(["status", "--kubeconfig", config.path], environment: env)
        #expect(inventory.status == 0, "\(inventory.stderr)")
        #expect(inventory.stdout.hasPrefix("RELEASE"))
        #expect(inventory.stdout.contains("data-plane"))
        #expect(inventory.stdout.contains("True"))
        let nowhere = try await KilnBinary.run(["status", "--kubeconfig", config.path, "--system-namespace", "nowhere"], environment: env)
        #expect(nowhere.status == 1)
        #expect(nowhere.stderr.contains("kiln has not applied to this cluster"))
    }

    @Test func applyStreamsJSONEventsForCI() async throws {
        let server = try TestAPIServer()
        defer { server.stop() }
        let result = try await kiln(["apply", example, "--format", "json"], try kubeconfig(server.url))
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map { try? JSONReader.parse(String($0)) }
        #expect(lines.allSatisfy { $0 != nil }, "every line is a JSON object")
        #expect(lines.first??["event"] == .string("waveStarted"))
        #expect(lines.contains { $0?["event"] == .string("applied") && $0?["change"] == .string("created") })
        let summary = try #require(lines.last ?? nil)
        #expect(summary["event"] == .string("summary"))
        #expect((summary["summary"]?["created"]?.numberValue ?? 0) > 10)
        // A wave that never becomes ready ends the stream with a failed event naming the object.
        server.statusScript = { key, _, _ in
            key.hasSuffix("/auth-proxy") ? .object([("observedGeneration", .number(1)), ("updatedReplicas", .number(2))]) : nil
        }
        let stuck = try await KilnBinary.run(["apply", example, "--format", "json", "--kubeconfig", try kubeconfig(server.url).path,
                                        "--timeout", "0.5"], environment: env)
        #expect(stuck.status == 1)
        let last = try JSONReader.parse(String(stuck.stdout.split(separator: "\n").last ?? ""))
        #expect(last["event"] == .string("failed"))
        #expect(last["object"] == .string("Deployment domino-compute/auth-proxy"))
        #expect(last["message"]?.stringValue?.contains("0/2 replicas available") == true)
    }

    @Test
    func dryRunStoresNothingAndPruneListsWhatItDeletes() async throws {
        let server = try TestAPIServer()
        defer { server.stop() }
        let config = try kubeconfig(server.url)
        let dry = try await kiln(["apply", example, "--dry-run"], config)
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.hasPrefix("dry run: applied"))
        #expect(server.objectCount == 0)
        #expect(try await kiln(["apply", example], config).status == 0)
        let before = server.objectCount
        let pruned = try await kiln(["apply", example, "--prune", "--set", "image_caching.enabled=false"], config)
        #expect(pruned.status == 0, "\(pruned.stderr)")
        #expect(pruned.stderr.contains("pruning "), "the list comes first")
        #expect(pruned.stderr.contains("pruned DaemonSet"))
        #expect(server.objectCount < before)
        let usage = try await kiln(["apply", example, "--prune-protected"], config)
        #expect(usage.status == 2)
        #expect(usage.stderr.contains("--prune-protected only makes sense with --prune"))
    }

    @Test func anUnreachableClusterExits3WithAClearMessage() async throws {
        // A port that was just free: nothing listens there.
        let server = try TestAPIServer()
        let url = server.url
        server.stop()
        for command in ["apply", "diff"] {
            let result = try await KilnBinary.run([command, example, "--kubeconfig", try kubeconfig(url).path, "--request-timeout", "2s"],
                                            environment: env)
            #expect(result.status == 3, "\(command): \(result.stderr)")
            #expect(result.stderr.contains("cannot reach \(url)"), "\(command)")
        }
    }

    /// Refused credentials and an untrusted server certificate say what happened (not "is the cluster up?"), and exit 3
    /// as an unreachable cluster does: the cluster was not usable, nothing was sent.
    @Test func refusedCredentialsAndAnUntrustedServerExit3AndSayWhy() async throws {
        let server = try TestAPIServer()
        defer { server.stop() }
        server.inject(.status(401), times: 1000)
        let refused = try await KilnBinary.run(["diff", example, "--kubeconfig", try kubeconfig(server.url).path, "--request-timeout", "5s"],
                                               environment: env)
        #expect(refused.status == 3, "\(refused.stderr)")
        #expect(refused.stderr.contains("the credentials were refused"), "\(refused.stderr)")
        #expect(!refused.stderr.contains("secret-token-abc"), "the token is never printed")

        // Made by openssl processes: off the cooperative pool.
        let certificates = try await offPool { Result { try TestCertificates() } }.get()
        let other = try await offPool { Result { try TestCertificates() } }.get()
        defer { certificates.remove(); other.remove() }
        let tls = try TestAPIServer(tls: .init(certificate: certificates.serverCertificate, key: certificates.serverKey, clientCA: nil))
        defer { tls.stop() }
        let file = try KilnBinary.kubeconfig(tls.url, token: "abc", certificateAuthority: other.caCertificate)
        let untrusted = try await KilnBinary.run(["apply", example, "--kubeconfig", file.path, "--request-timeout", "5s"], environment: env)
        #expect(untrusted.status == 3, "\(untrusted.stderr)")
        #expect(untrusted.stderr.contains("not signed by the CA in \(other.caCertificate)"), "\(untrusted.stderr)")
        #expect(tls.objectCount == 0, "nothing was applied")
    }

    /// Durations as kubectl takes them: `--timeout 8m` was a usage error when kiln took seconds only.
    @Test func timeoutsAreWrittenAsDurations() async throws {
        let server = try TestAPIServer()
        defer { server.stop() }
        let config = try kubeconfig(server.url)
        let ok = try await KilnBinary.run(["status", example, "--kubeconfig", config.path, "--timeout", "8m", "--request-timeout", "30s"],
                                    environment: env)
        #expect(ok.status == 1 && ok.stdout.contains("NotFound"), "runs (nothing applied yet): \(ok.stderr)")
        let bad = try await KilnBinary.run(["status", example, "--kubeconfig", config.path, "--timeout", "8 minutes"], environment: env)
        #expect(bad.status == 2, "a usage error: \(bad.stderr)")
        #expect(bad.stderr.contains("--timeout"))
        let help = try await KilnBinary.run(["apply", "--help"], environment: env)
        #expect(help.stdout.contains("(default: 10m)"), "the default is shown as a duration")
    }

    @Test func aMissingContextOrKubeconfigIsExplained() async throws {
        let missing = try await KilnBinary.run(["status", example, "--kubeconfig", "/nonexistent/kubeconfig"], environment: env)
        #expect(missing.status == 3)
        #expect(missing.stderr.contains("/nonexistent/kubeconfig"))
        let server = try TestAPIServer()
        defer { server.stop() }
        let wrong = try await KilnBinary.run(["status", example, "--kubeconfig", try kubeconfig(server.url).path, "--context", "prod"],
                                       environment: env)
        #expect(wrong.status == 3)
        #expect(wrong.stderr.contains("no context prod"))
        #expect(server.requestLog.isEmpty)
    }

    @Test func aConflictNamesTheOtherManagerAndAnInvalidConfigSendsNothing() async throws {
        let server = try TestAPIServer()
        defer { server.stop() }
        let config = try kubeconfig(server.url)
        #expect(try await kiln(["apply", example], config).status == 0)
        server.write(by: "kubectl-edit", key: "apps/v1/deployments/domino-compute/auth-proxy", path: ["spec", "replicas"], value: .number(7))
        let conflict = try await kiln(["apply", example], config)
        #expect(conflict.status == 1)
        #expect(conflict.stderr.contains("kubectl-edit"))
        #expect(conflict.stderr.contains("--force-conflicts"))
        #expect(try await kiln(["apply", example, "--force-conflicts"], config).status == 0)
        let requests = server.requestLog.count
        let invalid = try await kiln(["apply", example, "--set", "name=Not A Name"], config)
        #expect(invalid.status == 1)
        #expect(server.requestLog.count == requests, "nothing was sent")
    }
}
