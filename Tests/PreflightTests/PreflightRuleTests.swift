import Bundle
import Foundation
import Kube
import Manifests
import Platform
import Schema
import TestSupport
import Testing
@testable import Preflight

/// Every rule of the preflight table on the test API server, each outcome it has: the healthy EKS cluster passes
/// everything, and one change to the cluster or the config at a time makes one rule warn or fail.
@Suite struct PreflightRuleTests {
    let eks = Loaded("eks.yaml")

    @Test func aHealthyEKSClusterPassesEveryRuleButTheRegistryProbe() async throws {
        let server = try healthyEKS()
        let report = try await Preflight(client: client(server)).run(config: eks.config, result: eks.result, inventory: eks.inventory)
        #expect(report.results.filter { $0.status != .pass }.isEmpty, "\(report.results.filter { $0.status != .pass })")
        #expect(Set(report.results.map(\.check)) == Set(PreflightChecks.all.map(\.id)), "every rule reports a row")
        #expect(report.results.allSatisfy { FileManager.default.fileExists(atPath: TestFixtures.package.deletingLastPathComponent()
            .appendingPathComponent("shared/reference/docs/\($0.doc)").path) }, "every row cites a page that exists")
    }

    // MARK: kubernetes-version

    @Test func theVersionIsJudgedAgainstTheProvidersRow() async throws {
        let server = try healthyEKS()
        #expect(statuses(try await rows("kubernetes-version", server, eks)) == [.pass])
        server.kubernetesVersion = "v1.30.4"
        let old = try await rows("kubernetes-version", server, eks)
        #expect(statuses(old) == [.fail])
        #expect(old[0].found.contains("validated on 1.32, 1.33"))
        #expect(old[0].action.contains("upgrade the cluster"))
    }

    @Test func kubernetes133NeedsPlatform612OnEKS() async throws {
        let server = try healthyEKS()
        server.kubernetesVersion = "v1.33.1"
        #expect(statuses(try await rows("kubernetes-version", server, eks)) == [.pass])
        let early = try await rows("kubernetes-version", server, Loaded("eks.yaml", sets: ["version=6.1.1"]))
        #expect(statuses(early) == [.fail])
        #expect(early[0].found.contains("1.33 only from 6.1.2"))
    }

    @Test func aClusterWithNoListedProviderWarns() async throws {
        let server = try healthyEKS()
        let generic = try await rows("kubernetes-version", server, Loaded("eks.yaml", sets: ["storage_classes.block.type=hostpath"]))
        #expect(statuses(generic) == [.warn])
    }

    @Test func aDataPlaneIsHeldToTheDataPlaneMinimum() async throws {
        let server = try healthyEKS()
        let dataPlane = Loaded("data-plane.yaml")
        #expect(statuses(try await rows("kubernetes-version", server, dataPlane)) == [.pass])
        server.kubernetesVersion = "v1.25.9"
        #expect(statuses(try await rows("kubernetes-version", server, dataPlane)) == [.fail])
    }

    // MARK: autoscaler-version

    /// The autoscaler's image must be the release for the cluster's minor; the tag is set through the release's
    /// `chart_values.image.tag`, which the render takes (offline, from the private registry).
    @Test func theAutoscalerFollowsTheClustersMinorVersion() async throws {
        let server = try healthyEKS()  // Kubernetes 1.32; the catalog's autoscaler is v1.32.0
        #expect(statuses(try await rows("autoscaler-version", server, eks)) == [.pass])
        server.kubernetesVersion = "v1.33.1-eks-1"
        let behind = try await rows("autoscaler-version", server, eks)
        #expect(statuses(behind) == [.warn])
        #expect(behind[0].found.contains("is for Kubernetes 1.32; the cluster runs v1.33.1"), "\(behind[0].found)")
        #expect(behind[0].action.contains("release_overrides.cluster-autoscaler.chart_values.image.tag: v1.33.N"))
        let followed = Loaded("eks.yaml", sets: ["release_overrides.cluster-autoscaler.chart_values.image.tag=v1.33.1"])
        #expect(followed.result.objects.first { $0.kind == "Deployment" && $0.name == "cluster-autoscaler" }?
            .json["spec"]?["template"]?["spec"]?["containers"]?.arrayValue?.first?["image"] == .string("quay.io/domino/autoscaling.cluster-autoscaler:v1.33.1"))
        #expect(statuses(try await rows("autoscaler-version", server, followed)) == [.pass])
        let none = try await rows("autoscaler-version", server, Loaded("eks.yaml", sets: ["autoscaler=null"]))
        #expect(statuses(none) == [.pass] && none[0].found.contains("no cluster autoscaler"))
        #expect(AutoscalerRule.minorVersion(ofTag: "registry.example:5000/domino/autoscaling.cluster-autoscaler:v1.31.4") == "1.31")
        #expect(AutoscalerRule.minorVersion(ofTag: "registry.example:5000/domino/autoscaling.cluster-autoscaler") == nil)
    }

    // MARK: node-pools, platform-capacity, node-taints

    @Test func nodePoolsNeedTheProfilesPlatformNodesAndAComputeNode() async throws {
        let short = try TestAPIServer()
        short.addNode("platform-1", labels: ["dominodatalab.com/node-pool": "platform"])
        short.addNode("gpu-1", labels: ["dominodatalab.com/node-pool": "default-gpu"])
        let found = try await rows("node-pools", short, eks)
        #expect(statuses(found) == [.fail, .fail, .warn])
        #expect(found[0].found.contains("1 node(s)") && found[0].found.contains("needs 3"))
        #expect(found[2].action.contains("nvidia.com/gpu=true"))
        #expect(statuses(try await rows("node-pools", try healthyEKS(), eks)) == [.pass, .pass, .pass])
    }

    @Test func platformCapacityIsTheFitOnRealNodes() async throws {
        let small = try healthyEKS()
        for i in 1...3 { small.addNode("platform-\(i)", labels: ["dominodatalab.com/node-pool": "platform"], cpu: "2", memory: "4Gi") }
        let found = try await rows("platform-capacity", small, eks)
        #expect(statuses(found) == [.fail])
        #expect(found[0].found.contains("short of CPU and memory"))
        #expect(statuses(try await rows("platform-capacity", try healthyEKS(), eks)) == [.pass])
        #expect(statuses(try await rows("platform-capacity", try TestAPIServer(), eks)) == [.fail], "no platform nodes at all")
    }

    @Test func taintsThePlatformDoesNotTolerateFailOnPlatformNodesAndWarnOnCompute() async throws {
        let server = try healthyEKS()
        server.addNode("platform-1", labels: ["dominodatalab.com/node-pool": "platform"], taints: ["dedicated=db:NoSchedule", "soft:PreferNoSchedule"])
        server.addNode("compute-1", labels: ["dominodatalab.com/node-pool": "default"], taints: ["spot=true:NoExecute"])
        let found = try await rows("node-taints", server, eks)
        #expect(statuses(found) == [.fail, .warn])
        #expect(found[0].found == "platform pool: platform-1: dedicated=db:NoSchedule", "PreferNoSchedule does not keep pods off")
        #expect(statuses(try await rows("node-taints", try healthyEKS(), eks)) == [.pass, .pass])
    }

    @Test func tolerationsMatchAsKubernetesMatchesThem() {
        let taint: JSONValue = .object([("key", .string("dedicated")), ("value", .string("db")), ("effect", .string("NoSchedule"))])
        func pod(_ toleration: [(String, JSONValue)]) -> JSONValue { .object([("tolerations", .array([.object(toleration)]))]) }
        #expect(NodeRules.tolerates(pod([("operator", .string("Exists"))]), taint))
        #expect(NodeRules.tolerates(pod([("key", .string("dedicated")), ("operator", .string("Exists"))]), taint))
        #expect(NodeRules.tolerates(pod([("key", .string("dedicated")), ("value", .string("db")), ("effect", .string("NoSchedule"))]), taint))
        #expect(!NodeRules.tolerates(pod([("key", .string("dedicated")), ("value", .string("web"))]), taint))
        #expect(!NodeRules.tolerates(pod([("key", .string("dedicated")), ("operator", .string("Exists")), ("effect", .string("NoExecute"))]), taint))
    }

    // MARK: storage

    @Test func classesKilnDoesNotCreateMustExist() async throws {
        let server = try healthyEKS()
        let external = Loaded("eks.yaml", sets: ["storage_classes.block.create=false", "storage_classes.block.name=gp3-custom"])
        let missing = try await rows("storage-classes", server, external)
        #expect(statuses(missing) == [.pass, .fail], "\(missing)")
        #expect(missing[1].found.hasPrefix("gp3-custom (storage_classes.block.name)"))
        server.addStorageClass("gp3-custom", provisioner: "ebs.csi.aws.com")
        #expect(statuses(try await rows("storage-classes", server, external)) == [.pass, .pass])
    }

    @Test func provisionersNeedTheirCSIDrivers() async throws {
        let noEBS = try TestAPIServer()
        noEBS.addCSIDriver("efs.csi.aws.com")
        let found = try await rows("csi-drivers", noEBS, eks)
        #expect(statuses(found) == [.fail, .pass], "\(found)")
        #expect(found[0].found.contains("ebs.csi.aws.com"))
        let unknown = try healthyEKS()
        unknown.addStorageClass("nas", provisioner: "example.com/nfs")
        let external = Loaded("eks.yaml", sets: ["storage_classes.block.create=false", "storage_classes.block.name=nas"])
        #expect(statuses(try await rows("csi-drivers", unknown, external)) == [.pass, .warn])
    }

    @Test func inTreeProvisionersNeedTheirMigratedDriver() async throws {
        let server = try TestAPIServer()
        let gke = Loaded("gke.yaml")
        #expect(try await rows("csi-drivers", server, gke).contains { $0.status == .fail && $0.found.contains("pd.csi.storage.gke.io") })
        server.addCSIDriver("pd.csi.storage.gke.io")
        #expect(try await rows("csi-drivers", server, gke).contains { $0.status == .pass && $0.found.contains("in-tree kubernetes.io/gce-pd") })
    }

    @Test func aClaimWithoutAClassNeedsExactlyOneDefault() async throws {
        let claim = ManifestObject(apiVersion: "v1", kind: "PersistentVolumeClaim", name: "scratch", namespace: "domino-platform", body: [
            ("spec", .object([("accessModes", .array([.string("ReadWriteOnce")])),
                              ("resources", .object([("requests", .object([("storage", .string("1Gi"))]))]))])),
        ], release: "kiln-base")
        let loaded = Loaded("eks.yaml", adding: [claim])
        let server = try healthyEKS()
        #expect(statuses(try await rows("default-storage-class", server, eks)) == [.pass], "no claim relies on a default")
        #expect(statuses(try await rows("default-storage-class", server, loaded)) == [.fail])
        server.addStorageClass("gp2", provisioner: "kubernetes.io/aws-ebs", isDefault: true)
        #expect(statuses(try await rows("default-storage-class", server, loaded)) == [.pass])
        server.addStorageClass("gp3", provisioner: "ebs.csi.aws.com", isDefault: true)
        #expect(statuses(try await rows("default-storage-class", server, loaded)) == [.warn])
    }

    // MARK: network-policy, cert-manager, namespaces

    @Test func networkPolicyNeedsAnEnforcingCNI() async throws {
        #expect(statuses(try await rows("network-policy", try healthyEKS(), eks)) == [.pass])
        let flannel = try TestAPIServer()
        flannel.addSystemDaemonSet("kube-flannel-ds", containers: ["kube-flannel"])
        #expect(statuses(try await rows("network-policy", flannel, eks)) == [.fail])
        let vpc = try TestAPIServer()
        vpc.addSystemDaemonSet("aws-node", containers: ["aws-node"])
        #expect(statuses(try await rows("network-policy", vpc, eks)) == [.fail])
        vpc.addSystemDaemonSet("aws-node", containers: ["aws-node", "aws-network-policy-agent"])
        #expect(statuses(try await rows("network-policy", vpc, eks)) == [.pass])
        let unknown = try TestAPIServer()
        #expect(statuses(try await rows("network-policy", unknown, eks)) == [.warn])
        #expect(statuses(try await rows("network-policy", unknown, Loaded("eks.yaml", sets: ["enable_network_policies=false"]))) == [.pass])
    }

    static func certManagerCRD(managedBy: String) -> JSONValue {
        .object([("apiVersion", .string("apiextensions.k8s.io/v1")), ("kind", .string("CustomResourceDefinition")),
                 ("metadata", .object([("name", .string("certificates.cert-manager.io")),
                                       ("labels", .object([("app.kubernetes.io/managed-by", .string(managedBy))]))]))])
    }

    @Test func certManagerIsInstalledOnceWhateverTheConfigSays() async throws {
        let server = try healthyEKS()
        let external = Loaded("eks.yaml", sets: ["certificate_management.install=false"])
        #expect(statuses(try await rows("cert-manager", server, eks)) == [.pass])
        #expect(statuses(try await rows("cert-manager", server, external)) == [.fail])
        server.put("apiextensions.k8s.io/v1/customresourcedefinitions//certificates.cert-manager.io", Self.certManagerCRD(managedBy: "Helm"))
        let conflict = try await rows("cert-manager", server, eks)
        #expect(statuses(conflict) == [.fail])
        #expect(conflict[0].action.contains("certificate_management.install: false"))
        #expect(statuses(try await rows("cert-manager", server, external)) == [.pass])
        server.put("apiextensions.k8s.io/v1/customresourcedefinitions//certificates.cert-manager.io", Self.certManagerCRD(managedBy: "kiln"))
        #expect(statuses(try await rows("cert-manager", server, eks)) == [.pass], "kiln's own cert-manager")
    }

    @Test func namespacesOfAnotherToolFailAndHelmsWarn() async throws {
        let server = try healthyEKS()
        func namespace(_ name: String, _ labels: [(String, JSONValue)], _ annotations: [(String, JSONValue)] = []) {
            server.put("v1/namespaces//\(name)", .object([("apiVersion", .string("v1")), ("kind", .string("Namespace")),
                ("metadata", .object([("name", .string(name)), ("labels", .object(labels)), ("annotations", .object(annotations))]))]))
        }
        #expect(Set(statuses(try await rows("namespaces", server, eks))) == [.pass])
        namespace("domino-platform", [("app.kubernetes.io/managed-by", .string("argocd"))])
        namespace("domino-compute", [], [("meta.helm.sh/release-name", .string("domino")), ("meta.helm.sh/release-namespace", .string("default"))])
        server.createNamespace("domino-system")
        let found = try await rows("namespaces", server, eks)
        #expect(found.first { $0.found.hasPrefix("domino-platform") }?.status == .fail)
        #expect(found.first { $0.found.hasPrefix("domino-compute") }?.status == .warn)
        #expect(found.first { $0.found.hasPrefix("domino-compute") }?.found.contains("Helm release default/domino") == true)
        #expect(found.first { $0.found.hasPrefix("domino-system") }?.status == .pass, "kubectl create namespace marks nothing")
    }

    // MARK: api-groups, permissions, offline-registry

    @Test func kindsNothingServesFail() async throws {
        let monitor = ManifestObject(apiVersion: "monitoring.coreos.com/v1", kind: "ServiceMonitor", name: "nucleus", namespace: "domino-platform",
                                     body: [("spec", .object([]))], release: "kiln-base")
        let found = try await rows("api-groups", try healthyEKS(), Loaded("eks.yaml", adding: [monitor]))
        #expect(statuses(found) == [.fail])
        #expect(found[0].found == "not served: monitoring.coreos.com/v1 ServiceMonitor")
        #expect(statuses(try await rows("api-groups", try healthyEKS(), eks)) == [.pass])
    }

    @Test func permissionsListWhatTheUserMayNotDo() async throws {
        let server = try healthyEKS()
        #expect(statuses(try await rows("permissions", server, eks)) == [.pass])
        #expect(server.accessReviews > 50, "one review per verb, kind and namespace")
        server.deny("delete", "deployments", group: "apps", namespace: "domino-platform")
        server.deny("create", "clusterroles", group: "rbac.authorization.k8s.io")
        let found = try await rows("permissions", server, eks)
        #expect(statuses(found) == [.fail])
        #expect(found[0].found == "2 missing: delete deployments.apps in domino-platform, create clusterroles.rbac.authorization.k8s.io", "\(found[0].found)")
    }

    @Test func anOfflineRegistryMustHoldTheImages() async throws {
        let server = try healthyEKS()
        #expect(try await rows("offline-registry", server, eks).map(\.found) == ["not needed: not an offline install"])
        let offline = Loaded("offline-eks.yaml", sets: ["offline.image_registry=127.0.0.1:9"])
        #expect(statuses(try await rows("offline-registry", server, offline)) == [.warn], "not probed without a registry session")
        var options = RegistryOptions()
        options.plainHTTP = ["127.0.0.1:9"]
        options.retry = RetryPolicy(attempts: 1, initialDelay: 0.01, maxDelay: 0.01, deadline: 2)
        let report = try await Preflight(client: client(server)).run(config: offline.config, result: offline.result, inventory: offline.inventory,
                                                                     registry: RegistrySession(options: options))
        let found = report.results.filter { $0.check == "offline-registry" }
        #expect(statuses(found) == [.fail])
        #expect(found[0].found.hasPrefix("127.0.0.1:9: "))
    }

    @Test func theRegistryIsAskedForEveryImageOnce() async throws {
        let server = try healthyEKS()
        // The repositories and tags do not depend on the registry's address.
        let offline = Loaded("offline-eks.yaml", sets: ["offline.image_registry=127.0.0.1:1"])
        let images = try ImageInventory.of(offline.result, version: "6.1.2").images.map(\.reference)
        let repositories = Set(images.map { "\($0.repository):\($0.tag ?? "")" })
        let everything = try TestManifestRegistry(holding: repositories)
        defer { everything.stop() }
        func registryRows(_ registry: TestManifestRegistry) async throws -> [CheckResult] {
            let loaded = Loaded("offline-eks.yaml", sets: ["offline.image_registry=\(registry.address)"])
            let report = try await Preflight(client: client(server)).run(config: loaded.config, result: loaded.result,
                                                                         inventory: loaded.inventory, registry: RegistrySession())
            return report.results.filter { $0.check == "offline-registry" }
        }
        let held = try await registryRows(everything)
        #expect(statuses(held) == [.pass], "\(held)")
        #expect(everything.requestLog.filter { $0.contains("/manifests/") }.count == repositories.count, "one request per image")
        let partial = try TestManifestRegistry(holding: repositories.subtracting(["domino/nucleus:6.1.2"]))
        defer { partial.stop() }
        let missing = try await registryRows(partial)
        #expect(statuses(missing) == [.fail])
        #expect(missing[0].found.contains("1 of \(repositories.count) images missing"), "\(missing[0].found)")
        #expect(missing[0].found.contains("/domino/nucleus:6.1.2 (not in the registry)"))
    }

    // MARK: what cannot be read

    @Test func aRefusedReadIsAWarningOfEveryRuleThatNeedsIt() async throws {
        let server = try healthyEKS()
        let kube = client(server)
        _ = try await kube.resource(apiVersion: "v1", kind: "Node")  // discovery first, so the fault hits the list
        server.inject(.status(403))
        let nodes = try await ClusterFacts.read(kube, "v1", "Node")
        guard case .unreadable(let why) = nodes else { Issue.record("a 403 is a fact that could not be read"); return }
        #expect(why.contains("may not list Node"))
        var facts = ClusterFacts(version: try await kube.serverVersion())
        facts.nodes = nodes
        facts.deniedAccess = .unreadable("the server does not serve SelfSubjectAccessReview")
        let input = PreflightInput(config: eks.config, result: eks.result, sizing: SizingPlan(eks.config), facts: facts, inventory: eks.inventory)
        for rule in ["node-pools", "platform-capacity", "node-taints", "permissions"] {
            #expect(PreflightChecks.named(rule)!.run(input).map(\.status) == [.warn], "\(rule)")
        }
    }

    // MARK: the apply gate

    @Test func applyRunsOnlyTheGatingRules() async throws {
        let server = try TestAPIServer()
        let report = try await Preflight(client: client(server)).run(config: eks.config, result: eks.result, inventory: eks.inventory, scope: .applyGate)
        #expect(Set(report.results.map(\.check)) == Set(PreflightChecks.all.filter(\.gatesApply).map(\.id)))
        #expect(!report.failed, "a bare cluster without nodes or CSI drivers does not stop an apply: \(report.results.filter { $0.status == .fail })")
    }

    @Test func anUnreachableClusterIsThrownNotReported() async throws {
        let server = try TestAPIServer()
        let url = server.url
        server.stop()
        var http = HTTPClientSettings()
        http.retry = RetryPolicy(attempts: 1, initialDelay: 0.01, maxDelay: 0.01, deadline: 1)
        let unreachable = KubeClient(ClusterTarget(server: url, namespace: "default", http: http, origin: "test"))
        await #expect(throws: HTTPError.self) {
            _ = try await Preflight(client: unreachable).run(config: eks.config, result: eks.result, inventory: eks.inventory)
        }
    }
}
