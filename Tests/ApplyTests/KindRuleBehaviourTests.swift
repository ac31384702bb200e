import Apply
import Foundation
import Kube
import Manifests
import Schema
import TestSupport
import Testing

/// What the kind-rules table (`KindRules`) promises, driven through apply, prune and drift against the test API
/// server: `--force` never recreates what holds data, prune finds a custom resource's kind through discovery, and
/// drift leaves alone what controllers own (HPA replicas, injected sidecars, injected CA bundles). (A disruption budget
/// pruned without `--prune` is a live-cluster scenario: `LiveScenarios.aReplacedDisruptionBudgetGoesWithoutPrune`.)
@Suite(.serialized)
struct KindRuleBehaviourTests {
    /// A claim's spec cannot change once created; `--force` recreates other kinds, but never a claim (its volume would go).
    @Test func forceNeverRecreatesAClaim() async throws {
        let server = try TestAPIServer()
        defer { server.stop() }
        func claim(_ storageClass: String) -> RenderResult {
            let namespace = CoreObjects.namespace("data", labels: [:], annotations: [:], release: "kiln-base")
            let claim = CoreObjects.persistentVolumeClaim("store", namespace: "data", labels: [:], storageClass: storageClass,
                                                          size: "1Gi", accessMode: "ReadWriteOnce", release: "kiln-base")
            return RenderResult(objects: [namespace, claim], releases: ["kiln-base"], waves: ["kiln-base": 0], dependencies: [:],
                                diagnostics: [])
        }
        let inventory = ApplySet(namespace: "data")  // the parent Secret goes in the namespace the set creates
        var options = fastOptions()
        options.wait = false
        _ = try await manager(server).apply(claim("standard"), inventory: inventory, options: options)
        let key = "v1/persistentvolumeclaims/data/store"
        let uid = try #require(server.object(key)?["metadata"]?["uid"])
        options.recreate = true
        do {
            _ = try await manager(server).apply(claim("fast"), inventory: inventory, options: options)
            Issue.record("--force must not recreate a PersistentVolumeClaim")
        } catch let failure as ApplyFailure {
            #expect(failure.object == "PersistentVolumeClaim data/store")
            #expect(failure.details.joined().contains("kiln never recreates a PersistentVolumeClaim"), "\(failure)")
        }
        #expect(server.object(key)?["metadata"]?["uid"] == uid, "the claim is the one first created")
        #expect(server.object(key)?["spec"]?["storageClassName"] == .string("standard"))
        #expect(!server.requestLog.contains { $0.hasPrefix("DELETE") }, "nothing was deleted")
    }

    /// A custom resource kiln applied is a member like any other: when it leaves the render, prune finds its kind
    /// through discovery (no built-in version table knows `widgets.example.kiln.dev`; its preferred version is v1, though
    /// the CRD lists v1alpha1 first) and deletes it, and only it. The render names the members at v1alpha1 and prune lists
    /// them at v1 (the server stores them once and serves every version): the keep-set matches group, kind, namespace
    /// and name, not the version.
    @Test func pruneFindsACustomResourceKindThroughDiscovery() async throws {
        let server = try TestAPIServer()
        defer { server.stop() }
        let definition = ExtensionObjects.crd(group: "example.kiln.dev", kind: "Widget", plural: "widgets", versions: ["v1alpha1", "v1"],
                                              labels: [:], release: "kiln-base")
        let namespace = CoreObjects.namespace("widgets", labels: [:], annotations: [:], release: "kiln-base")
        func widget(_ name: String, version: String = "v1") -> ManifestObject {
            ManifestObject(apiVersion: "example.kiln.dev/\(version)", kind: "Widget", name: name, namespace: "widgets",
                           body: [("spec", .object([("size", .number(3))]))], release: "kiln-base")
        }
        func set(_ objects: [ManifestObject]) -> RenderResult {
            RenderResult(objects: KindOrder.sorted(objects, waves: ["kiln-base": 0]), releases: ["kiln-base"], waves: ["kiln-base": 0],
                         dependencies: [:], diagnostics: [])
        }
        let inventory = ApplySet(namespace: "widgets")
        var options = fastOptions()
        options.prune = true
        _ = try await manager(server).apply(set([definition, namespace, widget("kept", version: "v1alpha1"), widget("gone", version: "v1alpha1")]),
                                            inventory: inventory, options: options)
        #expect(server.object("example.kiln.dev/v1/widgets/widgets/gone") != nil)
        let parent = try #require(server.object("v1/secrets/widgets/kiln-applyset"))
        #expect(parent["metadata"]?["annotations"]?[ApplySet.groupKindsAnnotation]?.stringValue?.contains("Widget.example.kiln.dev") == true)
        let events = EventLog()
        let summary = try await manager(server, events: events).apply(set([definition, namespace, widget("kept", version: "v1alpha1")]), inventory: inventory,
                                                                      options: options)
        #expect(summary.pruned == 1)
        #expect(server.object("example.kiln.dev/v1/widgets/widgets/gone") == nil)
        #expect(server.object("example.kiln.dev/v1/widgets/widgets/kept") != nil)
        #expect(server.requestLog.contains { $0.hasPrefix("GET /apis/example.kiln.dev/v1/namespaces/widgets/widgets?labelSelector=") },
                "the members were listed at the version discovery prefers")
    }

    /// What controllers legitimately own is not drift: the replicas an HPA sets, a sidecar an injection webhook adds,
    /// the CA bundle cert-manager's injector writes into a webhook configuration. The same edits on objects kiln
    /// renders otherwise are drift.
    @Test func driftLeavesWhatControllersOwn() async throws {
        let server = try TestAPIServer()
        defer { server.stop() }
        let result = render("eks.yaml")
        _ = try await manager(server).apply(result, inventory: inventory, options: fastOptions())
        #expect(try await manager(server).drift(result, inventory: inventory, ignore: []).isEmpty)

        // The HPA scales nucleus-frontend (eks.yaml renders it without replicas: the HPA's field).
        let frontend = "apps/v1/deployments/domino-platform/nucleus-frontend"
        #expect(result.objects.contains { $0.kind == "HorizontalPodAutoscaler" && $0.name == "nucleus-frontend" })
        server.write(by: "kube-controller-manager", key: frontend, path: ["spec", "replicas"], value: .number(7))
        // Istio's injector adds its sidecar to the pod template.
        let containers = try #require(server.object(frontend)?["spec"]?["template"]?["spec"]?["containers"]?.arrayValue)
        let sidecar: JSONValue = .object([("name", .string("istio-proxy")), ("image", .string("docker.io/istio/proxyv2:1.22.0"))])
        server.write(by: "istio-sidecar-injector", key: frontend, path: ["spec", "template", "spec", "containers"],
                     value: .array(containers + [sidecar]))
        // cert-manager's CA injector fills in the webhook's bundle.
        let webhook = "admissionregistration.k8s.io/v1/validatingwebhookconfigurations//cert-manager-webhook"
        let hooks = try #require(server.object(webhook)?["webhooks"]?.arrayValue)
        server.write(by: "cert-manager-cainjector", key: webhook, path: ["webhooks"], value: .array(hooks.map {
            JSONEditing.setting($0, ["clientConfig", "caBundle"], .string(Data("-----BEGIN CERTIFICATE-----".utf8).base64EncodedString()))
        }))
        #expect(server.object(frontend)?["spec"]?["replicas"] == .number(7), "the edits are stored")
        #expect(server.object(webhook)?["webhooks"]?.arrayValue?.first?["clientConfig"]?["caBundle"] != nil)
        let drifted = try await manager(server).drift(result, inventory: inventory, ignore: [])
        #expect(drifted.isEmpty, "not drift: \(drifted.map(\.object.description))")

        // The same kind of edits where no controller owns them: another container, and replicas of a Deployment no
        // autoscaler scales (kiln sets them).
        let agent = "apps/v1/deployments/domino-platform/cluster-autoscaler"
        let agentContainers = try #require(server.object(agent)?["spec"]?["template"]?["spec"]?["containers"]?.arrayValue)
        let extra: JSONValue = .object([("name", .string("debug")), ("image", .string("busybox:1.36"))])
        server.write(by: "kubectl-edit", key: agent, path: ["spec", "template", "spec", "containers"], value: .array(agentContainers + [extra]))
        server.write(by: "kubectl-scale", key: agent, path: ["spec", "replicas"], value: .number(3))
        let found = try await manager(server).drift(result, inventory: inventory, ignore: [])
        #expect(found.map(\.object.name) == ["cluster-autoscaler"])
        #expect(found.first?.text.contains("name: debug") == true, "\(found.first?.text ?? "")")
        #expect(found.first?.text.contains("replicas: 3") == true, "\(found.first?.text ?? "")")
    }
}
