import Apply
import Foundation
import Kube
import Manifests
import TestSupport
import Testing

/// The live-cluster suite: `LiveScenarios` against a real cluster, when `KILN_TEST_KUBECONFIG` names a kubeconfig (its
/// current context is used; a kind or dev cluster, or a bare kube-apiserver: nothing waits on a controller). It only
/// writes in scratch namespaces it creates and deletes; the platform is sent as a server-side dry run. Without the
/// variable these tests are reported as skipped, with this reason. `LiveScenarioTests` runs the same scenarios on the
/// test API server in every CI run.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["KILN_TEST_KUBECONFIG"] != nil,
                             "set KILN_TEST_KUBECONFIG to a kubeconfig to run the live-cluster suite"))
struct LiveClusterTests {
    static var path: String { ProcessInfo.processInfo.environment["KILN_TEST_KUBECONFIG"] ?? "" }

    func scenarios() throws -> LiveScenarios {
        let target = try ClusterTarget.from(try Kubeconfig.load(explicit: Self.path), context: nil)
        return LiveScenarios(manager: ResourceManager(client: KubeClient(target)), kubeconfig: { user in
            Self.replacingUser(of: Self.path, with: user)
        })
    }

    /// The kubeconfig with its current context's user replaced (for the token and exec-plugin scenario): the same cluster and
    /// CA, another way to authenticate.
    static func replacingUser(of path: String, with user: String) -> String? {
        guard let config = try? Kubeconfig.load(explicit: path), let name = config.currentContext,
              let context = config.contexts[name], let cluster = config.clusters[context.cluster] else { return nil }
        var lines = ["apiVersion: v1", "kind: Config", "current-context: it", "clusters:", "- name: it", "  cluster:",
                     "    server: \(cluster.server)"]
        if let ca = cluster.caData { lines.append("    certificate-authority-data: \(Data(ca).base64EncodedString())") }
        if let file = cluster.caFile { lines.append("    certificate-authority: \(file)") }
        if cluster.insecure { lines.append("    insecure-skip-tls-verify: true") }
        if let name = cluster.serverName { lines.append("    tls-server-name: \(name)") }
        if let proxy = cluster.proxyURL { lines.append("    proxy-url: \(proxy)") }
        lines += ["users:", "- name: it", "  user:", "    " + user, "contexts:", "- name: it", "  context: {cluster: it, user: it}"]
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func aDataPlaneDryRunReportsEveryObject() async throws { try await scenarios().dryRunOfThePlatform(render("data-plane.yaml")) }
    @Test func aControlPlaneDryRunReportsEveryObject() async throws { try await scenarios().dryRunOfThePlatform(render("eks.yaml")) }
    @Test func applyThenReapplyChangesNothing() async throws { try await scenarios().applyThenReapplyChangesNothing() }
    @Test func conflictWithAnotherManager() async throws { try await scenarios().conflictWithAnotherManager() }
    @Test func driftIsFoundAndCorrected() async throws { try await scenarios().driftIsFoundAndCorrected() }
    @Test func pruneSparesProtectedKinds() async throws { try await scenarios().pruneSparesProtectedKinds() }
    @Test func aReplacedDisruptionBudgetGoesWithoutPrune() async throws { try await scenarios().aReplacedDisruptionBudgetGoesWithoutPrune() }
    @Test func immutableFieldsAndForce() async throws { try await scenarios().immutableFieldsAndForce() }
    @Test func tokenAndExecPluginAuthenticate() async throws { try await scenarios().tokenAndExecPluginAuthenticate() }
    @Test func informerSeesChangesAsTheyHappen() async throws { try await scenarios().informerSeesChangesAsTheyHappen() }
    @Test func generatedSecretValuesAreWrittenOnce() async throws { try await scenarios().generatedSecretValuesAreWrittenOnce() }
}

/// The live-cluster scenarios on the test API server: what the real-cluster run does, in every CI run.
@Suite(.serialized)
struct LiveScenarioTests {
    func withServer(_ body: (LiveScenarios) async throws -> Void) async throws {
        let server = try TestAPIServer()
        defer { server.stop() }
        var http = HTTPClientSettings()
        http.bearerToken = "it-token"
        let manager = ResourceManager(client: KubeClient(ClusterTarget(server: server.url, namespace: "default", http: http, origin: "test")))
        try await body(LiveScenarios(manager: manager, kubeconfig: { user in
            """
            apiVersion: v1
            kind: Config
            current-context: it
            clusters:
            - name: it
              cluster: {server: "\(server.url)"}
            users:
            - name: it
              user:
                \(user)
            contexts:
            - name: it
              context: {cluster: it, user: it}
            """
        }))
        // What went out is the suite's token, or one the server issued; each issued token was used, as a kubeconfig's
        // `token` and through the exec plugin.
        let issued = server.tokensIssued.map { "Bearer " + $0 }
        #expect(server.authorizationLog.allSatisfy { $0 == "Bearer it-token" || issued.contains($0) })
        for token in issued {
            #expect(server.authorizationLog.filter { $0 == token }.count >= 2, "the issued token authenticated both ways")
        }
    }

    @Test func aDataPlaneDryRunReportsEveryObject() async throws { try await withServer { try await $0.dryRunOfThePlatform(render("data-plane.yaml")) } }
    @Test func aControlPlaneDryRunReportsEveryObject() async throws { try await withServer { try await $0.dryRunOfThePlatform(render("eks.yaml")) } }
    @Test func applyThenReapplyChangesNothing() async throws { try await withServer { try await $0.applyThenReapplyChangesNothing() } }
    @Test func conflictWithAnotherManager() async throws { try await withServer { try await $0.conflictWithAnotherManager() } }
    @Test func driftIsFoundAndCorrected() async throws { try await withServer { try await $0.driftIsFoundAndCorrected() } }
    @Test func pruneSparesProtectedKinds() async throws { try await withServer { try await $0.pruneSparesProtectedKinds() } }
    @Test func aReplacedDisruptionBudgetGoesWithoutPrune() async throws {
        try await withServer { try await $0.aReplacedDisruptionBudgetGoesWithoutPrune() }
    }
    @Test func immutableFieldsAndForce() async throws { try await withServer { try await $0.immutableFieldsAndForce() } }
    @Test func tokenAndExecPluginAuthenticate() async throws { try await withServer { try await $0.tokenAndExecPluginAuthenticate() } }
    @Test func informerSeesChangesAsTheyHappen() async throws { try await withServer { try await $0.informerSeesChangesAsTheyHappen() } }
    @Test func generatedSecretValuesAreWrittenOnce() async throws { try await withServer { try await $0.generatedSecretValuesAreWrittenOnce() } }
}
