import Foundation
import TestSupport
import Manifests
import Testing

/// Every rendered object of every example validates against the upstream Kubernetes JSON schemas in strict mode
/// (kubernetes-validate, from PyPI), for Kubernetes 1.31, 1.32 and 1.33; and `kubectl kustomize` builds each tree.
@Suite(.serialized)
struct UpstreamSchemaTests {
    static let examples = ["default.yaml", "eks.yaml", "aks.yaml", "gke.yaml", "openshift.yaml", "on-prem.yaml", "data-plane.yaml",
                           "data-plane-eks.yaml", "offline-eks.yaml", "fips-istio.yaml", "gpu-newrelic.yaml", "full-control-plane.yaml",
                           "aks-azure-flyte.yaml", "gke-gcs.yaml"]

    @Test func everyRenderedObjectValidatesStrictlyForKubernetes131To133() async throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        var files: [String] = []
        for example in Self.examples {
            let result = render(example)
            #expect(result.diagnostics.isEmpty, "\(example): \(result.diagnostics.map(\.message))")
            let dir = root.appendingPathComponent(example)
            _ = try ManifestWriter.write(result, to: dir.path, options: .init(includeSecrets: true))
            let written = try FileManager.default.subpathsOfDirectory(atPath: dir.path)
                .filter { $0.hasSuffix(".yaml") && !$0.hasSuffix("kustomization.yaml") }.map { dir.appendingPathComponent($0).path }
            #expect(written.count == result.objects.count, "\(example)")
            files += written
        }
        #expect(files.count > 1000)
        for version in ["1.31.0", "1.32.0", "1.33.0"] {
            // As a module of the python3 on PATH: the one `.ci/run` installed it into (no console-script shim needed).
            let arguments = ["-m", "kubernetes_validate", "--strict", "--quiet", "-k", version] + files
            guard let result = await offPool({ run("python3", arguments) }),
                  !result.output.contains("No module named") else {
                Issue.record("kubernetes-validate is not installed: pip install kubernetes-validate")
                return
            }
            #expect(result.status == 0, "Kubernetes \(version): \(result.output.prefix(3000))")
        }
    }

    @Test(arguments: examples)
    func kubectlKustomizeBuildsTheTree(_ example: String) async throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = render(example)
        _ = try ManifestWriter.write(result, to: dir.path, options: .init(secretsDirectory: dir.path + "-secrets"))
        defer { try? FileManager.default.removeItem(atPath: dir.path + "-secrets") }
        let path = dir.path
        guard let built = await offPool({ run("kubectl", ["kustomize", path]) }) else {
            Issue.record("kubectl is not installed")
            return
        }
        #expect(built.status == 0, "\(built.output.prefix(2000))")
        let documents = built.output.components(separatedBy: "\n---\n").count
        #expect(documents == result.withoutSecrets.count)
    }
}
