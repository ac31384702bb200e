import Apply
import Kube
import Manifests
import Schema
import TestSupport
import Testing
@testable import Preflight

/// Taking over what Helm installed: the objects the render holds become kiln's (fields forced, Helm's marks
/// removed), Helm's others are left unless pruned, and a dry run reports the same and changes nothing.
@Suite struct AdoptionTests {
    let key = "apps/v1/deployments/web/web"

    func helmInstall() throws -> TestAPIServer {
        let server = try TestAPIServer()
        server.createNamespace("web")
        #expect(server.createAsHelm(helmDeployment("web", namespace: "web")) == 201)
        // The same Helm release's other Deployment (the render no longer has it), and another chart's, beside them.
        #expect(server.createAsHelm(helmDeployment("old-worker", namespace: "web", release: "web")) == 201)
        #expect(server.createAsHelm(helmDeployment("other-chart", namespace: "web")) == 201)
        return server
    }

    let result = renderOf([namespaceObject("web"), kilnDeployment("web", namespace: "web", mode: "kiln")])
    let inventory = ApplySet(namespace: "web")

    func env(_ object: JSONValue?) -> String? {
        object?["spec"]?["template"]?["spec"]?["containers"]?.arrayValue?.first?["env"]?.arrayValue?.first?["value"]?.stringValue
    }

    @Test func helmsFieldsStopAPlainApply() async throws {
        let server = try helmInstall()
        var options = ApplyOptions()
        options.wait = false
        await #expect(throws: KubeError.self) { _ = try await ResourceManager(client: client(server)).apply(result, inventory: inventory, options: options) }
    }

    @Test func aDryRunReportsAndChangesNothing() async throws {
        let server = try helmInstall()
        let before = server.object(key)
        let report = try await Adoption(client: client(server)).run(result, inventory: inventory, dryRun: true, prune: true)
        #expect(report.adopted == [Adoption.Adopted(object: "Deployment web/web", release: "web/web")])
        #expect(report.left.map(\.object) == ["Deployment web/old-worker"])
        #expect(report.pruned == ["Deployment web/old-worker"])
        #expect(server.object(key) == before)
        #expect(server.object("apps/v1/deployments/web/old-worker") != nil)
    }

    @Test func adoptionTakesTheFieldsRemovesHelmsMarksAndLeavesTheRest() async throws {
        let server = try helmInstall()
        let report = try await Adoption(client: client(server)).run(result, inventory: inventory, dryRun: false, prune: false)
        #expect(report.adopted.map(\.object) == ["Deployment web/web"])
        let live = server.object(key)
        #expect(env(live) == "kiln")
        #expect(live?.annotation(HelmOwnership.releaseName) == nil && live?.annotation(HelmOwnership.releaseNamespace) == nil)
        #expect(live?.label(HelmOwnership.chartLabel) == nil)
        #expect(live?.label("app.kubernetes.io/managed-by") == "kiln")
        #expect(live?.label(ApplySet.partOfLabel) == inventory.id)
        #expect(server.object("apps/v1/deployments/web/old-worker") != nil, "never deleted without prune")

        // Now kiln's: a changed render applies without --force-conflicts.
        var options = ApplyOptions()
        options.wait = false
        let changed = renderOf([namespaceObject("web"), kilnDeployment("web", namespace: "web", mode: "kiln-2")])
        _ = try await ResourceManager(client: client(server)).apply(changed, inventory: inventory, options: options)
        #expect(env(server.object(key)) == "kiln-2")
    }

    @Test func pruneDeletesHelmsObjectsTheRenderDoesNotHold() async throws {
        let server = try helmInstall()
        let report = try await Adoption(client: client(server)).run(result, inventory: inventory, dryRun: false, prune: true)
        #expect(report.pruned == ["Deployment web/old-worker"])
        #expect(server.object("apps/v1/deployments/web/old-worker") == nil)
        #expect(server.object(key) != nil)
        // Another Helm release's object, in the same namespace and of a rendered kind, is not the platform's.
        #expect(server.object("apps/v1/deployments/web/other-chart") != nil, "another chart's object is never pruned")
        #expect(!report.left.map(\.object).contains("Deployment web/other-chart"))
    }

    @Test func objectsWithoutHelmsMarksAreNotTouched() async throws {
        let server = try TestAPIServer()
        server.createNamespace("web")
        var options = ApplyOptions()
        options.wait = false
        _ = try await ResourceManager(client: client(server)).apply(result, inventory: inventory, options: options)
        let version = server.resourceVersion
        let report = try await Adoption(client: client(server)).run(result, inventory: inventory, dryRun: false, prune: false)
        #expect(report.adopted.isEmpty && report.left.isEmpty)
        #expect(server.resourceVersion == version, "nothing written")
    }

    @Test func kindsTheServerDoesNotServeYetAreSkipped() async throws {
        let server = try helmInstall()
        let issuer = ManifestObject(apiVersion: "cert-manager.io/v1", kind: "Issuer", name: "ca", namespace: "web", body: [("spec", .object([]))],
                                    release: "web")
        let withCustom = renderOf(result.objects + [issuer])
        let report = try await Adoption(client: client(server)).run(withCustom, inventory: inventory, dryRun: true, prune: false)
        #expect(report.adopted.map(\.object) == ["Deployment web/web"])
    }

    @Test func theMarkRemovalIsGuardedByTheValuesItRemoves() {
        let patch = Adoption.markRemovals(helmDeployment("web", namespace: "web"))
        #expect(patch.map { $0["op"]?.stringValue ?? "" } == ["test", "remove", "test", "remove", "test", "remove", "test", "remove"])
        #expect(patch[1]["path"]?.stringValue == "/metadata/annotations/meta.helm.sh~1release-name")
    }
}
