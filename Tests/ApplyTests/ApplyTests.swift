import Apply
import Config
import Foundation
import Kube
import Manifests
import Schema
import TestSupport
import Testing

@Suite(.serialized)
struct ApplyTests {
    @Test func wavesGoDefinitionsThenClusterThenReleaseLevels() throws {
        let waves = ApplyWaves.plan(render("eks.yaml"))
        #expect(waves[0].name == "definitions")
        #expect(waves[0].objects.allSatisfy { ["Namespace", "CustomResourceDefinition"].contains($0.kind) })
        #expect(waves[1].name == "cluster")
        #expect(waves[1].objects.contains { $0.kind == "StorageClass" })
        func wave(of release: String) -> Int? { waves.firstIndex { $0.objects.contains { $0.release == release && $0.kind == "ServiceAccount" } } }
        #expect(try #require(wave(of: "mongodb")) < (try #require(wave(of: "nucleus"))))
        #expect(try #require(wave(of: "postgresql")) < (try #require(wave(of: "keycloak"))))
        #expect(waves.reduce(0) { $0 + $1.objects.count } == render("eks.yaml").objects.count)
    }

    @Test
    func appliesEveryObjectInWavesAndReappliesAsUnchanged() async throws {
        let server = try TestAPIServer()
        defer { server.stop() }
        let events = EventLog()
        let result = render("eks.yaml")
        let first = try await manager(server, events: events).apply(result, inventory: inventory, options: fastOptions())
        #expect(first.created == result.objects.count)
        #expect(server.objectCount == result.objects.count + 1)  // plus the inventory parent
        #expect(events.waveNames.first == "definitions")
        let nucleus = try #require(server.object("apps/v1/deployments/domino-platform/nucleus-frontend"))
        #expect(nucleus["metadata"]?["labels"]?[ApplySet.partOfLabel] == .string(inventory.id))
        let parent = try #require(server.object("v1/secrets/domino-system/kiln-applyset"))
        #expect(parent["metadata"]?["labels"]?[ApplySet.idLabel] == .string(inventory.id))
        #expect(parent["metadata"]?["annotations"]?[ApplySet.groupKindsAnnotation]?.stringValue?.contains("Deployment.apps") == true)
        #expect(inventory.id.hasPrefix("applyset-") && inventory.id.hasSuffix("-v1"))
        let revision = server.resourceVersion
        let writesBefore = server.requestLog.filter { !$0.hasPrefix("GET") }.count
        let getsBefore = server.requestLog.filter { $0.hasPrefix("GET") }.count
        let second = try await manager(server).apply(result, inventory: inventory, options: fastOptions())
        #expect(second.unchanged == result.objects.count)
        #expect(second.created == 0 && second.configured == 0)
        // An unchanged platform costs one read per object (plus the waits' reads and the inventory): no object is
        // written, so no resourceVersion moves (seen on a real server before: every NetworkPolicy rewritten each time).
        let writes = server.requestLog.filter { !$0.hasPrefix("GET") }.dropFirst(writesBefore)
        #expect(writes.allSatisfy { $0.contains("/secrets/kiln-applyset") }, "only the inventory parent: \(writes.prefix(5))")
        #expect(server.resourceVersion == revision, "nothing was stored")
        let reads = server.requestLog.filter { $0.hasPrefix("GET") }.count - getsBefore
        // Beyond one read per object: discovery (one per group version), the inventory parent, storage classes.
        #expect(reads <= result.objects.count + 30, "\(reads) reads for \(result.objects.count) objects")
    }

    /// The apiserver refuses changes of fields that cannot change after creation (422 Invalid: "updates to parameters
    /// are forbidden"); apply names the field and the remedy, and `--force` deletes and recreates the object, never
    /// one that holds data.
    @Test func anImmutableFieldNamesTheFieldAndForceRecreatesTheObject() async throws {
        let server = try TestAPIServer()
        defer { server.stop() }
        _ = try await manager(server).apply(render("eks.yaml"), inventory: inventory, options: fastOptions())
        let classKey = "storage.k8s.io/v1/storageclasses//dominodisk"
        let uid = try #require(server.object(classKey)?["metadata"]?["uid"])
        let changed = render("eks.yaml", sets: ["storage_classes.block.parameters.kmsKeyId=arn:aws:kms:us-west-2:123456789012:key/rotated"])
        do {
            _ = try await manager(server).apply(changed, inventory: inventory, options: fastOptions())
            Issue.record("the apply should stop on the immutable field")
        } catch let failure as ApplyFailure {
            #expect(failure.object == "StorageClass dominodisk")
            #expect(failure.reason.contains("parameters"))
            #expect(failure.details.joined().contains("--force"))
        }
        var dry = fastOptions()
        dry.dryRun = true
        let preview = try await manager(server).apply(changed, inventory: inventory, options: dry)
        #expect(preview.immutable == 1, "a dry run lists it, and does not fail")
        #expect(server.object(classKey)?["metadata"]?["uid"] == uid)
        var force = fastOptions()
        force.recreate = true
        let events = EventLog()
        let forced = try await manager(server, events: events).apply(changed, inventory: inventory, options: force)
        #expect(forced.recreated == 1)
        #expect(events.applied.contains { $0.0.name == "dominodisk" && $0.1 == .recreated })
        let recreated = try #require(server.object(classKey))
        #expect(recreated["metadata"]?["uid"] != uid)
        #expect(recreated["parameters"]?["kmsKeyId"] == .string("arn:aws:kms:us-west-2:123456789012:key/rotated"))
    }

    @Test func objectsOfAWaveGoInParallel() async throws {
        let server = try TestAPIServer()
        defer { server.stop() }
        // Slow answers, so requests sent together are seen together.
        server.inject(.delay(0.05), times: 40)
        var options = fastOptions()
        options.concurrency = 8
        _ = try await manager(server).apply(render("data-plane.yaml"), inventory: inventory, options: options)
        #expect(server.maxInFlight > 1)
        let sequential = try TestAPIServer()
        defer { sequential.stop() }
        sequential.inject(.delay(0.05), times: 40)
        options.concurrency = 1
        _ = try await manager(sequential).apply(render("data-plane.yaml"), inventory: inventory, options: options)
        #expect(sequential.maxInFlight == 1)
    }

    @Test func waitsForRolloutsAndNamesWhatNeverBecomesReady() async throws {
        let server = try TestAPIServer()
        defer { server.stop() }
        // The agent becomes available on its third look.
        server.statusScript = { key, object, gets in
            guard key.hasSuffix("/auth-proxy") else { return nil }
            return .object([("observedGeneration", .number(1)), ("updatedReplicas", .number(2)),
                            ("availableReplicas", .number(gets >= 3 ? 2 : 0))])
        }
        _ = try await manager(server).apply(render("data-plane.yaml"), inventory: inventory, options: fastOptions())
        let stuck = try TestAPIServer()
        defer { stuck.stop() }
        stuck.statusScript = { key, _, _ in
            key.hasSuffix("/auth-proxy") ? .object([("observedGeneration", .number(1)), ("updatedReplicas", .number(2)),
                                                   ("availableReplicas", .number(0))]) : nil
        }
        var options = fastOptions()
        options.timeout = 0.5
        do {
            _ = try await manager(stuck).apply(render("data-plane.yaml"), inventory: inventory, options: options)
            Issue.record("expected a timeout")
        } catch let failure as ApplyFailure {
            #expect(failure.object == "Deployment domino-compute/auth-proxy")
            #expect(failure.reason.contains("not ready after"))
            #expect(failure.reason.contains("0/2 replicas available"))
        }
    }

    @Test func aFailedWaitShowsConditionsEventsAndContainerStates() async throws {
        let server = try TestAPIServer()
        defer { server.stop() }
        server.statusScript = { key, _, _ in
            key.hasSuffix("/auth-proxy") ? .object([
                ("observedGeneration", .number(1)), ("updatedReplicas", .number(2)), ("availableReplicas", .number(0)),
                ("conditions", .array([.object([("type", .string("Available")), ("status", .string("False")),
                                                ("reason", .string("MinimumReplicasUnavailable"))])])),
            ]) : nil
        }
        server.put("v1/events/domino-compute/auth-proxy.1", .object([
            ("kind", .string("Event")), ("metadata", .object([("name", .string("auth-proxy.1")), ("namespace", .string("domino-compute"))])),
            ("involvedObject", .object([("kind", .string("Deployment")), ("name", .string("auth-proxy"))])),
            ("reason", .string("FailedCreate")), ("message", .string("quota exceeded")),
        ]))
        let labels = render("data-plane.yaml").objects.first { $0.kind == "Deployment" && $0.name == "auth-proxy" }
            .flatMap { $0.body.first { $0.0 == "spec" }?.1["selector"]?["matchLabels"] } ?? .object([])
        server.put("v1/pods/domino-compute/auth-proxy-abc", .object([
            ("kind", .string("Pod")), ("metadata", .object([("name", .string("auth-proxy-abc")), ("labels", labels)])),
            ("status", .object([("containerStatuses", .array([.object([
                ("name", .string("auth-proxy")),
                ("state", .object([("waiting", .object([("reason", .string("ImagePullBackOff")),
                                                       ("message", .string("Back-off pulling image"))]))])),
            ])]))])),
        ]))
        var options = fastOptions()
        options.timeout = 0.3
        do {
            _ = try await manager(server).apply(render("data-plane.yaml"), inventory: inventory, options: options)
            Issue.record("expected a timeout")
        } catch let failure as ApplyFailure {
            #expect(failure.details.contains("condition: Available False MinimumReplicasUnavailable"))
            #expect(failure.details.contains("event: FailedCreate quota exceeded"))
            #expect(failure.details.contains("pod auth-proxy-abc: container auth-proxy waiting: ImagePullBackOff Back-off pulling image"))
            #expect(failure.description.hasPrefix("Deployment domino-compute/auth-proxy: not ready after"))
        }
    }

    @Test func prunesWhatLeftTheConfigButNeverClaims() async throws {
        let server = try TestAPIServer()
        defer { server.stop() }
        _ = try await manager(server).apply(render("eks.yaml", claimIn: "domino-platform"), inventory: inventory, options: fastOptions())
        #expect(server.object("apps/v1/deployments/domino-platform/cluster-autoscaler") != nil)
        var options = fastOptions()
        options.prune = true
        let events = EventLog()
        let summary = try await manager(server, events: events).apply(render("eks.yaml", sets: ["autoscaler=null"]), inventory: inventory, options: options)
        #expect(summary.pruned > 0)
        #expect(server.object("apps/v1/deployments/domino-platform/cluster-autoscaler") == nil)
        #expect(server.object("v1/persistentvolumeclaims/domino-platform/scratch") != nil, "claims are never pruned by default")
        let announced = events.all.contains { if case .willPrune(let refs) = $0 { return refs.contains { $0.name == "cluster-autoscaler" } } else { return false } }
        #expect(announced)
        options.pruneProtected = true
        _ = try await manager(server).apply(render("eks.yaml", sets: ["autoscaler=null"]), inventory: inventory, options: options)
        #expect(server.object("v1/persistentvolumeclaims/domino-platform/scratch") == nil)
    }

    /// A volume holds data like its claim: dropping the EFS access point from the config prunes neither unless asked.
    @Test func prunesNeverDeleteAPersistentVolumeByDefault() async throws {
        let server = try TestAPIServer()
        defer { server.stop() }
        let volume = "v1/persistentvolumes//domino-shared-store-domino-compute"
        _ = try await manager(server).apply(render("eks.yaml"), inventory: inventory, options: fastOptions())
        #expect(server.object(volume) != nil, "eks.yaml puts the shared store on an EFS access point")
        var options = fastOptions()
        options.prune = true
        let without = render("eks.yaml", sets: ["storage_classes.shared.efs.access_point_id=null"])
        #expect(!without.objects.contains { $0.kind == "PersistentVolume" })
        _ = try await manager(server).apply(without, inventory: inventory, options: options)
        #expect(server.object(volume) != nil)
        options.pruneProtected = true
        _ = try await manager(server).apply(without, inventory: inventory, options: options)
        #expect(server.object(volume) == nil)
    }

    @Test func withoutPruneTheSetKeepsRecordingWhatLeft() async throws {
        let server = try TestAPIServer()
        server.createNamespace("scratch-space")  // the user's namespace, which the render never had
        defer { server.stop() }
        _ = try await manager(server).apply(render("eks.yaml", claimIn: "scratch-space"), inventory: inventory, options: fastOptions())
        _ = try await manager(server).apply(render("eks.yaml", sets: ["autoscaler=null"]), inventory: inventory, options: fastOptions())
        #expect(server.object("apps/v1/deployments/domino-platform/cluster-autoscaler") != nil)
        let parent = try #require(server.object("v1/secrets/domino-system/kiln-applyset"))
        #expect(parent["metadata"]?["annotations"]?[ApplySet.namespacesAnnotation]?.stringValue?.contains("scratch-space") == true)
        // A later apply with --prune still finds it.
        let diffs = try await manager(server).diff(render("eks.yaml", sets: ["autoscaler=null"]), inventory: inventory)
        #expect(diffs.contains { $0.action == .delete && $0.object.name == "cluster-autoscaler" })
    }

    @Test func conflictsNameTheOtherManagerUntilForced() async throws {
        let server = try TestAPIServer()
        defer { server.stop() }
        let result = render("data-plane.yaml")
        _ = try await manager(server).apply(result, inventory: inventory, options: fastOptions())
        server.write(by: "kubectl-edit", key: "apps/v1/deployments/domino-compute/auth-proxy", path: ["spec", "replicas"], value: .number(7))
        do {
            _ = try await manager(server).apply(result, inventory: inventory, options: fastOptions())
            Issue.record("expected a conflict")
        } catch let error as KubeError {
            #expect(error.status == 409)
            #expect(error.conflictManagers == ["kubectl-edit"])
        }
        var forced = fastOptions()
        forced.forceConflicts = true
        _ = try await manager(server).apply(result, inventory: inventory, options: forced)
        #expect(server.object("apps/v1/deployments/domino-compute/auth-proxy")?["spec"]?["replicas"] == .number(2))
    }

    @Test
    func aDryRunChangesNothing() async throws {
        let server = try TestAPIServer()
        defer { server.stop() }
        var options = fastOptions()
        options.dryRun = true
        let summary = try await manager(server).apply(render("data-plane.yaml"), inventory: inventory, options: options)
        #expect(summary.created == render("data-plane.yaml").objects.count)
        #expect(server.objectCount == 0)
    }

    @Test
    func diffShowsChangesRedactsSecretsAndListsPrunes() async throws {
        let server = try TestAPIServer()
        defer { server.stop() }
        let result = render("eks.yaml")
        let fresh = try await manager(server).diff(result, inventory: inventory)
        #expect(fresh.count == result.objects.count)
        #expect(fresh.allSatisfy { $0.action == .create })
        #expect(!fresh.map(\.text).joined().contains("value-of-QUAY_PASSWORD"))
        _ = try await manager(server).apply(result, inventory: inventory, options: fastOptions())
        #expect(try await manager(server).diff(result, inventory: inventory).isEmpty)
        server.write(by: "kubectl-edit", key: "v1/configmaps/domino-platform/nginx-ingress-controller", path: ["data", "ssl-protocols"],
                     value: .string("TLSv1.3"))
        let secretsChanged = render("eks.yaml")  // same config
        // Diff predicts apply: the field is kubectl-edit's now, so apply would stop on a conflict, and diff says so.
        let diffs = try await manager(server).diff(secretsChanged, inventory: inventory)
        #expect(diffs.map(\.object.name) == ["nginx-ingress-controller"])
        #expect(diffs.first?.action == .conflict)
        #expect(diffs.first?.text.contains("kubectl-edit") == true)
        // With --force-conflicts, as apply would take the field back: the change itself.
        var forced = ApplyOptions()
        forced.forceConflicts = true
        let taken = try await manager(server).diff(secretsChanged, inventory: inventory, options: forced)
        #expect(taken.map(\.action) == [.update])
        #expect(taken.first?.text.contains("-  ssl-protocols: TLSv1.3") == true)
        #expect(taken.first?.text.contains("+  ssl-protocols: TLSv1.2 TLSv1.3") == true)
        let pruning = try await manager(server).diff(render("eks.yaml", sets: ["autoscaler=null"]), inventory: inventory)
        #expect(pruning.contains { $0.action == .delete && $0.object.name == "cluster-autoscaler" })
        // A changed secret shows as changed, never with its value.
        let rotated = PlatformRenderer.render(ConfigView(ConfigLoader.load(ConfigRequest(path: TestFixtures.examples.appendingPathComponent("eks.yaml").path)).root!),
                                              secrets: SecretValues(variable: { "rotated-\($0)" }, readFile: { _ in nil }))
        let secretDiff = try await manager(server).diff(rotated, inventory: inventory).filter { $0.object.kind == "Secret" }
        #expect(!secretDiff.isEmpty)
        #expect(!secretDiff.map(\.text).joined().contains("rotated-"))
        #expect(!secretDiff.map(\.text).joined().contains("value-of-"))
        // Masked, not hashed: a short digest of a password could be checked against guesses.
        let text = secretDiff.map(\.text).joined()
        #expect(text.contains("-  .dockerconfigjson: '*** (before)'") || text.contains("-  .dockerconfigjson: \"*** (before)\""), "\(text)")
        #expect(text.contains("*** (after)"))
        #expect(!text.contains("digest"))
    }

    @Test func driftIsFoundThenCorrected() async throws {
        let server = try TestAPIServer()
        defer { server.stop() }
        let result = render("data-plane.yaml")
        _ = try await manager(server).apply(result, inventory: inventory, options: fastOptions())
        #expect(try await manager(server).drift(result, inventory: inventory, ignore: []).isEmpty)
        server.write(by: "kubectl-edit", key: "apps/v1/deployments/domino-compute/auth-proxy", path: ["spec", "replicas"], value: .number(9))
        let drifted = try await manager(server).drift(result, inventory: inventory, ignore: [])
        #expect(drifted.map(\.object.name) == ["auth-proxy"])
        #expect(try await manager(server).drift(result, inventory: inventory, ignore: [DriftIgnore(parsing: "Deployment:spec.replicas")!]).isEmpty)
        let corrected = try await manager(server).correct(drifted, in: result, inventory: inventory, options: fastOptions())
        #expect(corrected == 1)
        #expect(server.object("apps/v1/deployments/domino-compute/auth-proxy")?["spec"]?["replicas"] == .number(2))
        #expect(try await manager(server).drift(result, inventory: inventory, ignore: []).isEmpty)
    }

    @Test func statusReportsEachRelease() async throws {
        let server = try TestAPIServer()
        defer { server.stop() }
        let result = render("data-plane.yaml")
        let before = try await manager(server).status(result)
        #expect(before.allSatisfy { !$0.ready && $0.reason == "NotFound" })
        _ = try await manager(server).apply(result, inventory: inventory, options: fastOptions())
        #expect(try await manager(server).status(result).allSatisfy(\.ready))
        server.statusScript = { key, _, _ in
            key.hasSuffix("/auth-proxy") ? .object([("observedGeneration", .number(1)), ("updatedReplicas", .number(2)),
                                                   ("availableReplicas", .number(1))]) : nil
        }
        let degraded = try await manager(server).status(result).first { $0.release == "data-plane" }
        #expect(degraded?.ready == false)
        #expect(degraded?.reason == "Progressing")
        #expect(degraded?.message == "Deployment domino-compute/auth-proxy: 1/2 replicas available")
        // The same from the inventory alone, without the config.
        let fromInventory = try await manager(server).status(inventory: inventory)
        #expect(Set(fromInventory.map(\.release)) == Set(result.releases))
        #expect(fromInventory.first?.release == "kiln-base")
        #expect(fromInventory.first { $0.release == "data-plane" }?.message == "Deployment domino-compute/auth-proxy: 1/2 replicas available")
        #expect(fromInventory.filter { $0.release != "data-plane" }.allSatisfy { $0.ready })
        await #expect(throws: ApplyFailure.self) { try await manager(server).status(inventory: ApplySet(namespace: "elsewhere")) }
    }

    /// Seen before this rule: `kiln apply examples/data-plane.yaml --prune` over a control plane pruned 152 objects,
    /// since both configs use the system namespace domino-system and so the same inventory.
    @Test func aDataPlaneIsNeverAppliedOverAControlPlane() async throws {
        let server = try TestAPIServer()
        defer { server.stop() }
        _ = try await manager(server).apply(render("eks.yaml"), inventory: inventory, options: fastOptions())
        let parent = try #require(server.object("v1/secrets/domino-system/kiln-applyset"))
        #expect(parent["metadata"]?["annotations"]?[ApplySet.platformAnnotation] == .string("acme-prod"))
        #expect(parent["metadata"]?["annotations"]?[ApplySet.platformRoleAnnotation] == .string("control-plane"))
        let before = server.objectCount
        let writes = server.requestLog.filter { !$0.hasPrefix("GET") }.count
        var options = fastOptions()
        options.prune = true
        await #expect(throws: ApplyFailure.self) {
            try await manager(server).apply(render("data-plane.yaml"), inventory: inventory, options: options)
        }
        do {
            _ = try await manager(server).apply(render("data-plane.yaml"), inventory: inventory, options: options)
        } catch let failure as ApplyFailure {
            #expect(failure.reason.contains("acme-prod (control plane)") && failure.reason.contains("dp-west (data plane)"))
        }
        #expect(server.objectCount == before)
        #expect(server.requestLog.filter { !$0.hasPrefix("GET") }.count == writes, "nothing was written or deleted")
        // A renamed platform is refused as well: `name` cannot change after install.
        await #expect(throws: ApplyFailure.self) {
            try await manager(server).apply(render("eks.yaml", sets: ["name=acme-renamed"]), inventory: inventory, options: fastOptions())
        }
        await #expect(throws: ApplyFailure.self) { try await manager(server).diff(render("data-plane.yaml"), inventory: inventory) }
    }
}
