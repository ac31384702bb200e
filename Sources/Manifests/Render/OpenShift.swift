import Config
import Foundation
import Platform
import Schema

/// What an OpenShift cluster needs beyond Kubernetes (`openshift: true`;
/// admin_guide/installation/manage-deployments/openshift.txt): the security context constraints pods are admitted
/// under, and the nodes' trust in the registry's CA. (Its DNS for network policies is in `NetworkPolicies`; the
/// ingress controller's node ports 80 and 443 are the preset's chart values.)
enum OpenShift {
    /// The ClusterRoles OpenShift 4 defines for using its built-in SCCs.
    static let anyuid = "system:openshift:scc:anyuid"
    static let privileged = "system:openshift:scc:privileged"
    /// The ConfigMap in `openshift-config` that `images.config.openshift.io/cluster` names as its extra CAs.
    static let registryCAs = "domino-deployment-registry-config"

    /// The OpenShift objects of a render; `rendered` is everything else, whose pods decide who needs `privileged`.
    static func objects(_ ctx: RenderContext, rendered: [ManifestObject]) -> [ManifestObject] {
        guard ctx.openShift else { return [] }
        return sccBindings(ctx, rendered: rendered) + registryTrust(ctx)
    }

    /// The platform uses OpenShift's own `anyuid` and `privileged` SCCs and no others
    /// (admin_guide/security-and-compliance/pod-security-policies.txt).
    /// `anyuid` goes to every service account of each platform namespace: UID remapping is not supported and services
    /// run as their images' users, and executions start as root (`nonRootExecutions`, central-configuration.txt).
    /// `privileged` goes only to the service accounts whose pods kiln renders privileged or as root (the documented
    /// exceptions: BuildKit, the image caching agent, device and storage drivers, Elasticsearch's sysctl container).
    static func sccBindings(_ ctx: RenderContext, rendered: [ManifestObject]) -> [ManifestObject] {
        let namespaces = ReleaseRenderer.orderedUnique(BaseObjects.usedNamespaces(ctx).map { ctx.namespace($0) })
        var out = namespaces.map { ns in
            binding("kiln-scc-anyuid", namespace: ns, clusterRole: anyuid, ctx: ctx, subjects: [.object([
                ("kind", .string("Group")), ("apiGroup", .string(rbac)), ("name", .string("system:serviceaccounts:\(ns)")),
            ])])
        }
        var accounts: [String: Set<String>] = [:]
        for object in rendered {
            guard let namespace = object.namespace, let pod = podSpec(object), runsPrivileged(pod) else { continue }
            accounts[namespace, default: []].insert(pod["serviceAccountName"]?.stringValue ?? "default")
        }
        for (ns, names) in accounts.sorted(by: { $0.key < $1.key }) {
            out.append(binding("kiln-scc-privileged", namespace: ns, clusterRole: privileged, ctx: ctx, subjects: names.sorted().map {
                .object([("kind", .string("ServiceAccount")), ("name", .string($0)), ("namespace", .string(ns))])
            }))
        }
        return out
    }

    static let rbac = "rbac.authorization.k8s.io"

    /// A RoleBinding in `namespace` to one of OpenShift's SCC ClusterRoles: the SCC may be used there only.
    static func binding(_ name: String, namespace: String, clusterRole: String, ctx: RenderContext,
                        subjects: [JSONValue]) -> ManifestObject {
        ManifestObject(apiVersion: rbac + "/v1", kind: "RoleBinding", name: name, namespace: namespace,
                       labels: BaseObjects.labels(ctx, name), body: [
            ("roleRef", .object([("apiGroup", .string(rbac)), ("kind", .string("ClusterRole")), ("name", .string(clusterRole))])),
            ("subjects", .array(subjects)),
        ], release: BaseObjects.release)
    }

    /// The pod spec of a workload object.
    static func podSpec(_ object: ManifestObject) -> JSONValue? {
        let spec = object.json["spec"]
        switch object.kind {
        case "Deployment", "StatefulSet", "DaemonSet", "Job": return spec?["template"]?["spec"]
        case "CronJob": return spec?["jobTemplate"]?["spec"]?["template"]?["spec"]
        default: return nil
        }
    }

    /// Whether any of the pod's containers runs privileged or as root.
    static func runsPrivileged(_ pod: JSONValue) -> Bool {
        let root = { (context: JSONValue?) in context?["privileged"]?.boolValue == true || context?["runAsUser"]?.numberValue == 0 }
        let containers = (pod["containers"]?.arrayValue ?? []) + (pod["initContainers"]?.arrayValue ?? [])
        return root(pod["securityContext"]) || containers.contains { root($0["securityContext"]) }
    }

    /// The nodes trust the CAs of `custom_certificates` for the registries they pull the platform's and users' images
    /// from: OpenShift reads them from the ConfigMap that the cluster's image configuration names in
    /// `additionalTrustedCA` (the page's `domino-deployment-registry-config`), in `openshift-config`, one key per
    /// registry (`host..port`). The image configuration is the cluster's own: GitOps tools must never prune it.
    static func registryTrust(_ ctx: RenderContext) -> [ManifestObject] {
        guard let bundle = ctx.config.string(.customCertificates), !bundle.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        else { return [] }
        var registries: [String] = []
        if let external = ctx.config.filled(.externalDockerRegistry) {
            registries.append(registryHost(external))
        } else if ctx.plan.intent("docker-registry")?.status == .installed {
            registries.append(RegistryHook.inClusterAddress)  // where the builder pushes, nodes pull
        }
        if let offline = ctx.offlineRegistry { registries.append(offline) }
        guard !registries.isEmpty else { return [] }
        let data = Dictionary(registries.map { ($0.replacingOccurrences(of: ":", with: ".."), bundle) }) { first, _ in first }
        let image = ManifestObject(apiVersion: "config.openshift.io/v1", kind: "Image", name: "cluster",
                                   labels: BaseObjects.labels(ctx, "cluster"),
                                   annotations: ["kustomize.toolkit.fluxcd.io/prune": "disabled",
                                                 "argocd.argoproj.io/sync-options": "Prune=false"],
                                   body: [("spec", .object([("additionalTrustedCA", .object([("name", .string(registryCAs))]))]))],
                                   release: BaseObjects.release)
        return [CoreObjects.configMap(registryCAs, namespace: "openshift-config", data: data, labels: BaseObjects.labels(ctx, registryCAs),
                                      release: BaseObjects.release), image]
    }

    /// `https://registry.example.com:5000/domino` → `registry.example.com:5000`.
    static func registryHost(_ url: String) -> String {
        let rest = url.range(of: "://").map { String(url[$0.upperBound...]) } ?? url
        return String(rest.split(separator: "/", maxSplits: 1).first ?? Substring(rest))
    }
}

extension RenderContext {
    /// The cluster is OpenShift (`openshift`, a kiln extension).
    var openShift: Bool { config.bool(.openshift) }
}
