import Apply
import Foundation
import Kube
import Manifests
import Schema
import Testing
@testable import Preflight

/// Preflight and adoption as scenarios that run against any API server: the test API server on every CI run, and a
/// real cluster when `KILN_TEST_KUBECONFIG` names one (`LivePreflightTests`). Safe there: the checks only read (and
/// ask SelfSubjectAccessReviews), and the adoption writes only in its own scratch namespace, deleted at the end.
struct LivePreflightScenarios {
    let client: KubeClient

    func report(_ loaded: Loaded) async throws -> PreflightReport {
        try await Preflight(client: client).run(config: loaded.config, result: loaded.result, inventory: loaded.inventory)
    }

    /// A config whose provider's row does not list the server's Kubernetes minor fails the version rule. Which
    /// provider that is depends on the server: OpenShift 6.1.0 lists only 1.30, EKS 6.1.0 only 1.32.
    func aVersionMismatchFails() async throws {
        let server = try await client.serverVersion()
        let candidates: [(SupportMatrix.Provider, [String])] = [(.openshift, ["openshift=true", "version=6.1.0"]), (.eks, ["version=6.1.0"])]
        let (provider, sets) = try #require(candidates.first { !SupportMatrix.validated($0.0, platform: "6.1.0").contains(server.minorVersion) })
        let rows = try await report(Loaded("eks.yaml", sets: sets)).results.filter { $0.check == "kubernetes-version" }
        #expect(rows.map(\.status) == [.fail], "\(rows)")
        #expect(rows.first?.found.contains("on \(provider.rawValue)") == true)
    }

    /// A block class the config says kiln does not create, and that the cluster does not have, fails.
    func aMissingClassFails() async throws {
        let name = "kiln-it-missing-\(String(UInt32.random(in: 0...UInt32.max), radix: 36))"
        let loaded = Loaded("eks.yaml", sets: ["storage_classes.block.create=false", "storage_classes.block.name=\(name)"])
        let rows = try await report(loaded).results.filter { $0.check == "storage-classes" && $0.found.hasPrefix(name) }
        #expect(rows.map(\.status) == [.fail], "\(rows)")
    }

    /// A Deployment Helm installed (its annotations, label and field manager) is adopted: kiln's values win, Helm's
    /// marks go, a second Helm Deployment the render lacks stays; then kiln updates it without forcing.
    func aHelmDeploymentIsAdoptedThenUpdated() async throws {
        let namespace = "kiln-it-adopt-\(String(UInt32.random(in: 0...UInt32.max), radix: 36))"
        var failure: Error?
        do {
            _ = try await client.apply(namespaceObject(namespace).json)
            // Both of one Helm release (`web`): the one the render lacks is left, and reported.
            for name in ["web", "old-worker"] { try await createAsHelm(helmDeployment(name, namespace: namespace, release: "web")) }
            let inventory = ApplySet(namespace: namespace)
            let result = renderOf([namespaceObject(namespace), kilnDeployment("web", namespace: namespace, mode: "kiln")])
            let report = try await Adoption(client: client).run(result, inventory: inventory, dryRun: false, prune: false)
            #expect(report.adopted.map(\.object) == ["Deployment \(namespace)/web"])
            #expect(report.left.map(\.object) == ["Deployment \(namespace)/old-worker"])
            let ref = ObjectReference(apiVersion: "apps/v1", kind: "Deployment", namespace: namespace, name: "web")
            let adopted = try await client.get(ref)
            #expect(adopted?.annotation(HelmOwnership.releaseName) == nil)
            #expect(adopted?.label("app.kubernetes.io/managed-by") == "kiln")
            #expect(mode(adopted) == "kiln")
            var options = ApplyOptions()
            options.wait = false
            let changed = renderOf([namespaceObject(namespace), kilnDeployment("web", namespace: namespace, mode: "kiln-2")])
            _ = try await ResourceManager(client: client).apply(changed, inventory: inventory, options: options)
            #expect(mode(try await client.get(ref)) == "kiln-2")
            #expect(try await client.get(ObjectReference(apiVersion: "apps/v1", kind: "Deployment", namespace: namespace, name: "old-worker")) != nil)
        } catch { failure = error }
        _ = try? await client.delete(ObjectReference(apiVersion: "v1", kind: "Namespace", namespace: nil, name: namespace))
        if let failure { throw failure }
    }

    func mode(_ object: JSONValue?) -> String? {
        object?["spec"]?["template"]?["spec"]?["containers"]?.arrayValue?.first?["env"]?.arrayValue?.first?["value"]?.stringValue
    }

    /// POST as Helm 3 does: an ordinary create by field manager `helm`.
    func createAsHelm(_ object: JSONValue) async throws {
        let namespace = object["metadata"]?["namespace"]?.stringValue ?? ""
        let request = HTTPRequest("POST", client.target.server + "/apis/apps/v1/namespaces/\(namespace)/deployments?fieldManager=helm",
                                  headers: [("Content-Type", "application/json"), ("Accept", "application/json")], body: Array(object.jsonText.utf8))
        let response = try await client.http.send(request)
        #expect(response.status == 201, "Helm's create: HTTP \(response.status) \(response.text.prefix(300))")
    }
}
