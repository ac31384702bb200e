/// Everything kiln decides by an object's kind, in one table (as kapp documents its change rules): the order kinds are
/// written in, the apply stage they go in, whether a prune spares them, whether `--force` may recreate them when an
/// immutable field changes, and which fields drift detection leaves to the controllers that own them. Render order
/// (`KindOrder`), apply waves (`ApplyWaves`), prune protection, recreation and drift ignores all read this table;
/// `kiln explain waves` prints it.
public struct KindRule: Sendable, Equatable {
    /// The apply stage: definitions before everything, cluster-scoped policy next, then the release levels.
    public enum Stage: String, Sendable, Codable, CaseIterable {
        case definitions, cluster, release
    }

    public let kind: String
    public let stage: Stage
    /// Why a prune never deletes objects of this kind unless asked (`--prune-protected`); nil: prunable.
    public let protection: String?
    /// Why `--force` never deletes and recreates objects of this kind; nil: recreation is allowed.
    public let neverRecreate: String?
    /// Fields other controllers own, as dotted paths (lists are walked: `webhooks.clientConfig.caBundle` is every
    /// webhook's bundle).
    public let driftIgnores: [[String]]
    /// Why apply removes members of this kind the render no longer holds even without `--prune`; nil: only `--prune`.
    public let prunedAlways: String?

    init(_ kind: String, _ stage: Stage, protection: String? = nil, neverRecreate: String? = nil, driftIgnores: [[String]] = [],
         prunedAlways: String? = nil) {
        self.kind = kind
        self.stage = stage
        self.protection = protection
        self.neverRecreate = neverRecreate
        self.driftIgnores = driftIgnores
        self.prunedAlways = prunedAlways
    }
}

public enum KindRules {
    static let dataLoss = "deleting it deletes the data it holds"
    /// Stamped by `kubectl rollout restart` (a key with dots: paths are lists of keys).
    static let restartedAt = ["spec", "template", "metadata", "annotations", "kubectl.kubernetes.io/restartedAt"]

    /// In render and apply order. Webhooks last, as Flux orders them: a webhook must not gate objects applied before
    /// the service behind it runs.
    public static let table: [KindRule] = [
        KindRule("CustomResourceDefinition", .definitions, protection: "deleting it deletes every resource of its kind",
                 neverRecreate: "deleting it deletes every resource of its kind",
                 driftIgnores: [["spec", "conversion", "webhook", "clientConfig", "caBundle"]]),
        KindRule("Namespace", .definitions, protection: "deleting it deletes everything in it",
                 neverRecreate: "deleting it deletes everything in it"),
        KindRule("PriorityClass", .cluster),
        KindRule("StorageClass", .cluster),
        KindRule("PersistentVolume", .cluster, protection: dataLoss, neverRecreate: dataLoss),
        KindRule("ClusterRole", .cluster),
        KindRule("ClusterRoleBinding", .cluster),
        KindRule("ServiceAccount", .release, driftIgnores: [["secrets"], ["imagePullSecrets"]]),
        KindRule("Role", .release),
        KindRule("RoleBinding", .release),
        KindRule("Secret", .release),
        KindRule("ConfigMap", .release),
        KindRule("PersistentVolumeClaim", .release, protection: dataLoss, neverRecreate: dataLoss),
        KindRule("Service", .release, driftIgnores: [["spec", "clusterIP"], ["spec", "clusterIPs"]]),
        KindRule("StatefulSet", .release, driftIgnores: [restartedAt]),
        KindRule("Deployment", .release, driftIgnores: [restartedAt]),
        KindRule("DaemonSet", .release, driftIgnores: [restartedAt]),
        KindRule("Job", .release),
        KindRule("CronJob", .release),
        KindRule("HorizontalPodAutoscaler", .release),
        KindRule("PodDisruptionBudget", .release,
                 prunedAlways: "a budget left behind keeps limiting evictions, and a pod under two budgets cannot be evicted at all"),
        KindRule("IngressClass", .cluster),
        KindRule("Ingress", .release),
        KindRule("NetworkPolicy", .release),
        // cert-manager's CA injector and the API server fill in the bundles.
        KindRule("MutatingWebhookConfiguration", .release, driftIgnores: [["webhooks", "clientConfig", "caBundle"]]),
        KindRule("ValidatingWebhookConfiguration", .release, driftIgnores: [["webhooks", "clientConfig", "caBundle"]]),
        // OpenShift's cluster-wide `images.config.openshift.io/cluster`: kiln edits it to trust the registry CA; it is
        // the cluster's, not kiln's, to delete.
        KindRule("Image", .cluster, protection: "it is the cluster's image configuration", neverRecreate: "it is the cluster's image configuration"),
    ]

    /// Sidecars a service mesh legitimately adds to pod templates (`istioctl kube-inject`, `linkerd inject`; its
    /// admission webhooks add them to Pods, which kiln does not render): drift does not count them as entries others added.
    public static let injectedSidecars: Set<String> = ["istio-proxy", "istio-init", "linkerd-proxy", "linkerd-init"]

    /// The field a HorizontalPodAutoscaler owns on the workload it scales: drift leaves it on every workload an HPA of
    /// the render targets.
    public static let scaledByAutoscaler = ["spec", "replicas"]

    static let byKind = Dictionary(uniqueKeysWithValues: table.enumerated().map { ($1.kind, ($0, $1)) })

    /// The rule of a kind; a kind the table does not name (a custom resource) goes with its release, after the known
    /// kinds, prunable and recreatable.
    public static func rule(for kind: String) -> KindRule {
        byKind[kind]?.1 ?? KindRule(kind, .release)
    }

    /// Position in render and apply order.
    public static func rank(of kind: String) -> Int { byKind[kind]?.0 ?? table.count }

    /// Kinds a prune spares unless asked.
    public static var protectedKinds: Set<String> { Set(table.filter { $0.protection != nil }.map(\.kind)) }
}
