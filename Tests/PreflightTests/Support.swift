import Apply
import Config
import Foundation
import Kube
import Manifests
import Schema
import TestSupport
@testable import Preflight

let fakeSecrets = SecretValues(variable: { "value-of-\($0)" }, readFile: { "file-\($0)" })

/// An example config (with `--set` overrides), schema-typed as preflight reads it, and its render.
struct Loaded: Sendable {
    let config: ConfigView
    let result: RenderResult

    init(_ example: String, sets: [String] = []) {
        self = loadedOnce.value(([example] + sets).joined(separator: "\u{0}")) {
            let loaded = ConfigLoader.load(ConfigRequest(path: TestFixtures.examples.appendingPathComponent(example).path, sets: sets))
            let view = ConfigView(loaded.root ?? Instance(.object([])))
            return Loaded(config: ConfigView(InstallConfigSchema.shared.typed(view.root)), result: PlatformRenderer.render(view, secrets: fakeSecrets))
        }
    }

    private init(config: ConfigView, result: RenderResult) {
        self.config = config
        self.result = result
    }

    /// The same config with extra objects in its render (a claim that names no class, a kind nothing serves).
    init(_ example: String, sets: [String] = [], adding extra: [ManifestObject]) {
        let base = Loaded(example, sets: sets)
        config = base.config
        let r = base.result
        result = RenderResult(objects: r.objects + extra, releases: r.releases, waves: r.waves, dependencies: r.dependencies,
                              diagnostics: [], platform: r.platform)
    }

    var inventory: ApplySet { ApplySet(namespace: PlatformRenderer.systemNamespace(config)) }
}

/// Each example and `--set` list loaded and rendered once for the whole run (TestSupport's `Memo`).
private let loadedOnce = Memo<Loaded>()

func client(_ server: TestAPIServer) -> KubeClient {
    var http = HTTPClientSettings()
    http.retry = RetryPolicy(attempts: 2, initialDelay: 0.02, maxDelay: 0.2, deadline: 5)
    return KubeClient(ClusterTarget(server: server.url, namespace: "default", http: http, origin: "test"))
}

/// A cluster an EKS install of `examples/eks.yaml` fits: three platform nodes of the standard profile's size, one
/// compute node, the EBS and EFS CSI drivers, Calico, Kubernetes 1.32.
func healthyEKS() throws -> TestAPIServer {
    let server = try TestAPIServer()
    server.kubernetesVersion = "v1.32.3-eks-4096722"
    for i in 1...3 { server.addNode("platform-\(i)", labels: ["dominodatalab.com/node-pool": "platform"]) }
    server.addNode("compute-1", labels: ["dominodatalab.com/node-pool": "default", "domino/build-node": "true"], cpu: "7910m", memory: "27Gi")
    server.addCSIDriver("ebs.csi.aws.com")
    server.addCSIDriver("efs.csi.aws.com")
    server.addSystemDaemonSet("calico-node", containers: ["calico-node"])
    return server
}

/// Runs every rule (or the apply gate) and returns the rows of `check`.
func rows(_ check: String, _ server: TestAPIServer, _ loaded: Loaded, scope: Preflight.Scope = .all) async throws -> [CheckResult] {
    let report = try await Preflight(client: client(server)).run(config: loaded.config, result: loaded.result, inventory: loaded.inventory,
                                                                 scope: scope)
    return report.results.filter { $0.check == check }
}

func statuses(_ rows: [CheckResult]) -> [CheckStatus] { rows.map(\.status) }

/// A Deployment as a Helm chart would install it: the release annotations, `managed-by: Helm`, a chart label.
func helmDeployment(_ name: String, namespace: String, image: String = "registry.k8s.io/pause:3.9", mode: String = "helm",
                    release: String? = nil) -> JSONValue {
    .object([
        ("apiVersion", .string("apps/v1")), ("kind", .string("Deployment")),
        ("metadata", .object([
            ("name", .string(name)), ("namespace", .string(namespace)),
            ("labels", .object([("app", .string(name)), ("app.kubernetes.io/managed-by", .string("Helm")), ("helm.sh/chart", .string("\(name)-1.0.0"))])),
            ("annotations", .object([("meta.helm.sh/release-name", .string(release ?? name)), ("meta.helm.sh/release-namespace", .string(namespace))])),
        ])),
        ("spec", .object([
            ("replicas", .number(1)),
            ("selector", .object([("matchLabels", .object([("app", .string(name))]))])),
            ("template", .object([
                ("metadata", .object([("labels", .object([("app", .string(name))]))])),
                ("spec", .object([("containers", .array([.object([("name", .string(name)), ("image", .string(image)),
                    ("env", .array([.object([("name", .string("MODE")), ("value", .string(mode))])]))])]))])),
            ])),
        ])),
    ])
}

/// kiln's render of the same Deployment (no Helm marks), in a set with its namespace.
func kilnDeployment(_ name: String, namespace: String, mode: String) -> ManifestObject {
    let helm = helmDeployment(name, namespace: namespace, mode: mode)
    return ManifestObject(apiVersion: "apps/v1", kind: "Deployment", name: name, namespace: namespace,
                          labels: ["app": name, "app.kubernetes.io/managed-by": "kiln"],
                          body: (helm.objectValue ?? []).filter { $0.0 == "spec" }, release: "web")
}

func namespaceObject(_ name: String) -> ManifestObject {
    ManifestObject(apiVersion: "v1", kind: "Namespace", name: name, labels: ["app.kubernetes.io/managed-by": "kiln"], body: [], release: "kiln-base")
}

func renderOf(_ objects: [ManifestObject]) -> RenderResult {
    RenderResult(objects: objects, releases: ["kiln-base", "web"], waves: ["kiln-base": 0, "web": 1], dependencies: ["web": ["kiln-base"]],
                 diagnostics: [])
}
