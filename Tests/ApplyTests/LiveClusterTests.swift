import Apply
import Foundation
import Kube
import Manifests
import Testing

/// The same code paths against a real cluster, when `KILN_TEST_KUBECONFIG` names a kubeconfig (its current
/// context is used). Everything happens in a scratch namespace kiln creates and deletes; the platform itself is only
/// sent as a server-side dry run. Without the variable these tests are reported as skipped, with this reason.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["KILN_TEST_KUBECONFIG"] != nil,
                             "set KILN_TEST_KUBECONFIG to a kubeconfig to run the live-cluster suite"))
struct LiveClusterTests {
    func liveManager() throws -> ResourceManager {
        let path = ProcessInfo.processInfo.environment["KILN_TEST_KUBECONFIG"] ?? ""
        return ResourceManager(client: KubeClient(try ClusterTarget.from(try Kubeconfig.load(explicit: path), context: nil)))
    }

    @Test func thePlatformPassesAServerSideDryRun() async throws {
        var options = ApplyOptions()
        options.dryRun = true
        let summary = try await liveManager().apply(render("data-plane.yaml"), inventory: ApplySet(namespace: "kiln-it-dry-run"),
                                                    options: options)
        #expect(summary.created + summary.configured + summary.unchanged == render("data-plane.yaml").objects.count)
    }

    @Test func applyReapplyAndPruneInAScratchNamespace() async throws {
        let manager = try liveManager()
        let namespace = "kiln-it-\(Int(Date().timeIntervalSince1970))"
        let inventory = ApplySet(namespace: namespace)
        func set(_ names: [String]) -> RenderResult {
            let objects = [CoreObjects.namespace(namespace, labels: [:], annotations: [:], release: "kiln-base")]
                + names.map { CoreObjects.configMap($0, namespace: namespace, data: ["k": $0], labels: [:], release: "kiln-base") }
            return RenderResult(objects: objects, releases: ["kiln-base"], waves: ["kiln-base": 0], dependencies: [:], diagnostics: [])
        }
        var options = ApplyOptions()
        options.timeout = 60
        options.prune = true
        let first = try await manager.apply(set(["a", "b"]), inventory: inventory, options: options)
        #expect(first.created == 3)
        let again = try await manager.apply(set(["a", "b"]), inventory: inventory, options: options)
        #expect(again.unchanged == 3)
        let pruned = try await manager.apply(set(["a"]), inventory: inventory, options: options)
        #expect(pruned.pruned == 1)
        #expect(try await manager.diff(set(["a"]), inventory: inventory).isEmpty)
        _ = try await manager.client.delete(ObjectReference(apiVersion: "v1", kind: "Namespace", namespace: nil, name: namespace))
    }
}
