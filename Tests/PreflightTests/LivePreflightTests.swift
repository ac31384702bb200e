import Foundation
import Kube
import TestSupport
import Testing

/// `LivePreflightScenarios` against a real cluster, when `KILN_TEST_KUBECONFIG` names a kubeconfig (its current
/// context); reported as skipped otherwise.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["KILN_TEST_KUBECONFIG"] != nil,
                             "set KILN_TEST_KUBECONFIG to a kubeconfig to run the live-cluster suite"))
struct LivePreflightTests {
    func scenarios() throws -> LivePreflightScenarios {
        let path = ProcessInfo.processInfo.environment["KILN_TEST_KUBECONFIG"] ?? ""
        return LivePreflightScenarios(client: KubeClient(try ClusterTarget.from(try Kubeconfig.load(explicit: path), context: nil)))
    }

    @Test func aVersionMismatchFails() async throws { try await scenarios().aVersionMismatchFails() }
    @Test func aMissingClassFails() async throws { try await scenarios().aMissingClassFails() }
    @Test func aHelmDeploymentIsAdoptedThenUpdated() async throws { try await scenarios().aHelmDeploymentIsAdoptedThenUpdated() }
}

/// The same scenarios on the test API server, in every CI run.
@Suite struct LivePreflightScenarioTests {
    func withServer(_ body: (LivePreflightScenarios) async throws -> Void) async throws {
        let server = try TestAPIServer()
        defer { server.stop() }
        try await body(LivePreflightScenarios(client: client(server)))
    }

    @Test func aVersionMismatchFails() async throws { try await withServer { try await $0.aVersionMismatchFails() } }
    @Test func aMissingClassFails() async throws { try await withServer { try await $0.aMissingClassFails() } }
    @Test func aHelmDeploymentIsAdoptedThenUpdated() async throws { try await withServer { try await $0.aHelmDeploymentIsAdoptedThenUpdated() } }
}
