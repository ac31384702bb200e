import Foundation
import Schema
import TestSupport
import Testing

/// `kiln preflight`, `kiln upgrade plan|apply`, `kiln adopt` and apply's preflight gate, as a user runs them: the
/// built binary, a kubeconfig, and the test API server.
@Suite(.serialized)
struct PreflightCommandTests {
    let env = ["QUAY_PASSWORD": "quay-pw-123", "SMTP_PASSWORD": "smtp-pw-456"]
    let example = KilnBinary.package.appendingPathComponent("examples/data-plane.yaml").path

    func kubeconfig(_ server: String) throws -> URL { try KilnBinary.kubeconfig(server) }

    func kiln(_ arguments: [String], _ server: TestAPIServer) async throws -> KilnBinary.Result {
        try await KilnBinary.run(arguments + ["--kubeconfig", try kubeconfig(server.url).path, "--timeout", "10s"], environment: env)
    }

    /// What the data-plane example needs: a compute node, the EBS CSI driver, Calico.
    func dataPlaneCluster() throws -> TestAPIServer {
        let server = try TestAPIServer()
        server.addNode("compute-1", labels: ["dominodatalab.com/node-pool": "default"])
        server.addCSIDriver("ebs.csi.aws.com")
        server.addSystemDaemonSet("calico-node", containers: ["calico-node"])
        return server
    }

    @Test func preflightPrintsARowPerCheckAndExits0WhenNothingFails() async throws {
        let server = try dataPlaneCluster()
        defer { server.stop() }
        let run = try await kiln(["preflight", example], server)
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.hasPrefix("STATUS  CHECK"))
        #expect(run.stdout.contains("PASS    kubernetes-version"))
        #expect(run.stdout.contains("doc: admin_guide/kubernetes-infrastructure/kubernetes-compatibility.txt"))
        #expect(run.stdout.contains("preflight: "))
        #expect(!run.stdout.contains("quay-pw-123"), "no secret in the output")
        #expect(server.objectCount == 3, "preflight writes nothing: only the node, driver and DaemonSet the test stored")
    }

    @Test func aFailedCheckExits1AndJSONCarriesEveryRow() async throws {
        let server = try TestAPIServer()
        defer { server.stop() }
        let run = try await kiln(["preflight", example, "--format", "json"], server)
        #expect(run.status == 1)
        let json = try JSONReader.parse(run.stdout)
        let checks = json["checks"]?.arrayValue ?? []
        let pools = checks.first { $0["check"]?.stringValue == "node-pools" && $0["status"]?.stringValue == "FAIL" }
        #expect(pools?["found"]?.stringValue?.contains("default pool") == true)
        #expect(pools?["doc"]?.stringValue == "admin_guide/kubernetes-infrastructure/cluster-requirements.txt")
        #expect(pools?["action"]?.stringValue?.isEmpty == false)
        #expect(json["failed"]?.numberValue ?? 0 >= 1)
    }

    @Test func anUnreachableClusterExits3() async throws {
        let server = try TestAPIServer()
        let config = try kubeconfig(server.url)
        server.stop()
        let run = try await KilnBinary.run(["preflight", example, "--kubeconfig", config.path, "--request-timeout", "2s"], environment: env)
        #expect(run.status == 3, "\(run.stderr)")
        #expect(run.stderr.contains("127.0.0.1"))
    }

    @Test func applyStopsOnAFailedGatingCheckUnlessSkipped() async throws {
        let server = try TestAPIServer()
        defer { server.stop() }
        server.deny("patch", "deployments", group: "apps")
        let refused = try await kiln(["apply", example], server)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("permissions") && refused.stderr.contains("patch deployments.apps"))
        #expect(refused.stderr.contains("nothing was sent to the cluster"))
        #expect(server.objectCount == 0)
        let skipped = try await kiln(["apply", example, "--skip-preflight"], server)
        #expect(skipped.status == 0, "\(skipped.stderr)")
        #expect(server.objectCount > 0)
    }

    @Test func upgradePlanAndApplyGoFromTheInstalledVersion() async throws {
        let server = try TestAPIServer()
        defer { server.stop() }
        #expect(try await kiln(["apply", example, "--set", "version=6.1.1"], server).status == 0)
        let plan = try await kiln(["upgrade", "plan", example, "--to", "6.1.2", "--control-plane-version", "6.1.2"], server)
        #expect(plan.status == 0, "\(plan.stdout)\(plan.stderr)")
        #expect(plan.stdout.hasPrefix("upgrade 6.1.1 → 6.1.2 (upgrade; from cluster)"))
        #expect(plan.stdout.contains("config migration: version: 6.1.1 → 6.1.2"))
        #expect(plan.stdout.contains("6.1.1 → quay.io/domino/"), "images change per release")
        let json = try JSONReader.parse(try await kiln(["upgrade", "plan", example, "--to", "6.1.2", "--format", "json"], server).stdout)
        #expect(json["path"]?["direction"]?.stringValue == "upgrade")
        #expect(json["checks"]?.arrayValue?.contains { $0["check"]?.stringValue == "data-plane-skew" && $0["status"]?.stringValue == "WARN" } == true)

        let down = try await kiln(["upgrade", "plan", example, "--to", "6.1.0"], server)
        #expect(down.status == 1)
        #expect(down.stdout.contains("--allow-downgrade"))
        #expect(try await kiln(["upgrade", "plan", example, "--to", "6.1.0", "--allow-downgrade"], server).status == 0)
        let skew = try await kiln(["upgrade", "plan", example, "--to", "6.1.2", "--control-plane-version", "6.2.0"], server)
        #expect(skew.status == 1 && skew.stdout.contains("FAIL    data-plane-skew"))

        let applied = try await kiln(["upgrade", "apply", example, "--to", "6.1.2"], server)
        #expect(applied.status == 0, "\(applied.stderr)")
        let version = server.object("apps/v1/deployments/domino-compute/auth-proxy")?["metadata"]?["labels"]?["app.kubernetes.io/version"]?.stringValue
        #expect(version == "6.1.2")
        let refused = try await kiln(["upgrade", "apply", example, "--to", "6.1.1"], server)
        #expect(refused.status == 1 && refused.stderr.contains("nothing was sent"))
    }

    @Test func adoptTakesOverWhatHelmInstalledAndApplyAdoptDoesTheSame() async throws {
        let server = try TestAPIServer()
        defer { server.stop() }
        server.createNamespace("domino-compute")
        let helm: JSONValue = try JSONReader.parse("""
            {"apiVersion": "apps/v1", "kind": "Deployment",
             "metadata": {"name": "auth-proxy", "namespace": "domino-compute",
                          "labels": {"app.kubernetes.io/managed-by": "Helm"},
                          "annotations": {"meta.helm.sh/release-name": "data-plane", "meta.helm.sh/release-namespace": "domino-compute"}},
             "spec": {"replicas": 3,
                      "selector": {"matchLabels": {"app.kubernetes.io/component": "auth-proxy", "app.kubernetes.io/instance": "auth-proxy", "app.kubernetes.io/name": "auth-proxy"}},
                      "template": {"metadata": {"labels": {"app.kubernetes.io/component": "auth-proxy", "app.kubernetes.io/instance": "auth-proxy", "app.kubernetes.io/name": "auth-proxy"}}, "spec": {"containers": [{"name": "auth-proxy", "image": "example.com/old:1"}]}}}}
            """)
        #expect(server.createAsHelm(helm) == 201)
        let key = "apps/v1/deployments/domino-compute/auth-proxy"
        let before = server.object(key)
        let dry = try await kiln(["adopt", example, "--dry-run"], server)
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains("would adopt  Deployment domino-compute/auth-proxy (Helm release domino-compute/data-plane)"))
        #expect(server.object(key) == before, "a dry run changes nothing")
        let json = try JSONReader.parse(try await kiln(["adopt", example, "--dry-run", "--format", "json"], server).stdout)
        #expect(json["adopted"]?.arrayValue?.count == 1)

        #expect(try await kiln(["apply", example], server).status == 1, "Helm's fields stop a plain apply")
        let dryApply = try await kiln(["apply", example, "--adopt", "--dry-run"], server)
        #expect(dryApply.status == 0, "the dry run forces Helm's fields, as the takeover would: \(dryApply.stderr)")
        #expect(dryApply.stderr.contains("would adopt  Deployment domino-compute/auth-proxy"))
        #expect(server.object(key) == before, "a dry run changes nothing")
        let applied = try await kiln(["apply", example, "--adopt"], server)
        #expect(applied.status == 0, "\(applied.stderr)")
        #expect(applied.stderr.contains("adopted  Deployment domino-compute/auth-proxy"))
        let live = server.object(key)
        #expect(live?["metadata"]?["annotations"]?["meta.helm.sh/release-name"] == nil)
        #expect(live?["metadata"]?["labels"]?["app.kubernetes.io/managed-by"]?.stringValue == "kiln")
    }
}
