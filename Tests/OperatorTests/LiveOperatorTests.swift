import Foundation
import Kube
import Operator
import TestSupport
import Testing

/// The operator scenarios on the test API server, in every run.
@Suite(.serialized)
struct OperatorScenarioTests {
    func withServer(_ body: (LiveOperatorScenarios) async throws -> Void) async throws {
        let server = try TestAPIServer()
        defer { server.stop() }
        let client = testClient(server)
        try await body(LiveOperatorScenarios(makeHarness: { scenario in
            OperatorHarness(client: client, namespace: OperatorHarness.scratchName(scenario), waitForReadiness: true)
        }, slowDown: { requests in server.inject(.delay(0.05), times: requests) }))
    }

    @Test func aPlatformGoesReady() async throws { try await withServer { try await $0.aPlatformGoesReady() } }
    @Test func aChangeReconcilesOnlyWhatChanged() async throws { try await withServer { try await $0.aChangeReconcilesOnlyWhatChanged() } }
    @Test func dryRunChangesNothingAndReports() async throws { try await withServer { try await $0.dryRunChangesNothingAndReports() } }
    @Test func suspendStopsAndResumeRestarts() async throws { try await withServer { try await $0.suspendStopsAndResumeRestarts() } }
    @Test func driftIsWarnedThenCorrected() async throws { try await withServer { try await $0.driftIsWarnedThenCorrected() } }
    @Test func secretReferencesResolve() async throws { try await withServer { try await $0.secretReferencesResolve() } }
    @Test func aRestartMidReconcileConverges() async throws { try await withServer { try await $0.aRestartMidReconcileConverges() } }
    @Test func twoReplicasElectOneLeader() async throws { try await withServer { try await $0.twoReplicasElectOneLeader() } }
    @Test func aLeaderThatSeesAnotherHolderStepsDown() async throws { try await withServer { try await $0.aLeaderThatSeesAnotherHolderStepsDown() } }
}

/// The same scenarios against a real API server, when `KILN_TEST_KUBECONFIG` names a kubeconfig (its current context).
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["KILN_TEST_KUBECONFIG"] != nil,
                             "set KILN_TEST_KUBECONFIG to a kubeconfig to run the live-cluster suite"))
struct LiveOperatorTests {
    func scenarios() throws -> LiveOperatorScenarios {
        let path = ProcessInfo.processInfo.environment["KILN_TEST_KUBECONFIG"] ?? ""
        let client = KubeClient(try ClusterTarget.from(try Kubeconfig.load(explicit: path), context: nil))
        return LiveOperatorScenarios(makeHarness: { scenario in
            OperatorHarness(client: client, namespace: OperatorHarness.scratchName(scenario), waitForReadiness: false)
        })
    }

    @Test func aPlatformGoesReady() async throws { try await scenarios().aPlatformGoesReady() }
    @Test func aChangeReconcilesOnlyWhatChanged() async throws { try await scenarios().aChangeReconcilesOnlyWhatChanged() }
    @Test func dryRunChangesNothingAndReports() async throws { try await scenarios().dryRunChangesNothingAndReports() }
    @Test func suspendStopsAndResumeRestarts() async throws { try await scenarios().suspendStopsAndResumeRestarts() }
    @Test func driftIsWarnedThenCorrected() async throws { try await scenarios().driftIsWarnedThenCorrected() }
    @Test func secretReferencesResolve() async throws { try await scenarios().secretReferencesResolve() }
    @Test func aRestartMidReconcileConverges() async throws { try await scenarios().aRestartMidReconcileConverges() }
    @Test func twoReplicasElectOneLeader() async throws { try await scenarios().twoReplicasElectOneLeader() }
    @Test func aLeaderThatSeesAnotherHolderStepsDown() async throws { try await scenarios().aLeaderThatSeesAnotherHolderStepsDown() }
}

func testClient(_ server: TestAPIServer) -> KubeClient {
    var http = HTTPClientSettings()
    http.retry = RetryPolicy(attempts: 3, initialDelay: 0.02, maxDelay: 0.5, deadline: 5)
    return KubeClient(ClusterTarget(server: server.url, namespace: "default", http: http, origin: "test"))
}
