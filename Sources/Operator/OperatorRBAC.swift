import Platform

/// What the operator may do, and no more: the kinds kiln renders (to apply, read, prune them), the two kiln.dev
/// kinds, and, in its own namespace, its Lease and Events. RBAC objects need `bind` and `escalate`: the platform's
/// roles grant rights the operator's own role does not list (reading nodes, say), which the API server otherwise
/// refuses to let it create. The README lists these rules.
public enum OperatorRBAC {
    static let manage = ["get", "list", "watch", "create", "update", "patch", "delete"]

    /// Cluster-wide: the platform spans namespaces and has cluster-scoped objects.
    public static func clusterRules(openshift: Bool) -> [APIRule] {
        var rules = [
            APIRule([""], ["namespaces", "configmaps", "secrets", "services", "serviceaccounts", "persistentvolumeclaims",
                           "persistentvolumes"], manage),
            // Readiness waits explain a stuck rollout with its pods and events.
            APIRule([""], ["pods", "events"], ["get", "list", "watch"]),
            APIRule(["apps"], ["deployments", "statefulsets", "daemonsets"], manage),
            APIRule(["batch"], ["jobs", "cronjobs"], manage),
            APIRule(["autoscaling"], ["horizontalpodautoscalers"], manage),
            APIRule(["policy"], ["poddisruptionbudgets"], manage),
            APIRule(["networking.k8s.io"], ["ingresses", "ingressclasses", "networkpolicies"], manage),
            APIRule(["storage.k8s.io"], ["storageclasses"], manage),
            APIRule(["scheduling.k8s.io"], ["priorityclasses"], manage),
            APIRule(["admissionregistration.k8s.io"], ["mutatingwebhookconfigurations", "validatingwebhookconfigurations"], manage),
            APIRule(["apiextensions.k8s.io"], ["customresourcedefinitions"], manage),
            APIRule(["rbac.authorization.k8s.io"], ["clusterroles", "clusterrolebindings", "roles", "rolebindings"], manage + ["bind", "escalate"]),
        ]
        if openshift { rules.append(APIRule(["config.openshift.io"], ["images"], manage)) }
        return rules
    }

    /// In the operator's namespace: its resources (status through the subresource), leader election, events.
    public static let namespaceRules = [
        APIRule(["kiln.dev"], ["platforms"], ["get", "list", "watch", "patch"]),
        APIRule(["kiln.dev"], ["platforms/status", "platformreleases/status"], ["get", "update", "patch"]),
        APIRule(["kiln.dev"], ["platformreleases"], manage),
        APIRule(["coordination.k8s.io"], ["leases"], ["get", "create", "update"]),
        APIRule([""], ["events"], ["create", "patch"]),
    ]
}
