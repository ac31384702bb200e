/// What each release may do through the Kubernetes API: releases listed here get a ClusterRole bound to their
/// service account (and egress to the API server where network policies apply); the rest get no API rights.
enum ReleaseAccess {
    typealias Rule = PolicyObjects.Rule

    static let readWorkloads = Rule(["", "apps", "batch"], ["pods", "services", "endpoints", "nodes", "namespaces",
                                                              "deployments", "statefulsets", "daemonsets", "jobs"], ["get", "list", "watch"])

    static let table: [String: [Rule]] = [
        "nucleus": [Rule(["", "batch", "apps"], ["pods", "pods/log", "services", "persistentvolumeclaims", "configmaps", "secrets",
                                                 "jobs", "deployments"], ["get", "list", "watch", "create", "update", "patch", "delete"]),
                    Rule([""], ["nodes", "events"], ["get", "list", "watch"])],
        "data-plane-agent": [Rule(["", "batch", "apps"], ["pods", "pods/log", "services", "persistentvolumeclaims", "configmaps",
                                                          "secrets", "jobs"], ["get", "list", "watch", "create", "update", "patch", "delete"])],
        "data-plane": [Rule(["", "batch", "apps"], ["pods", "pods/log", "services", "persistentvolumeclaims", "configmaps",
                                                    "secrets", "jobs"], ["get", "list", "watch", "create", "update", "patch", "delete"])],
        "hephaestus": [Rule(["", "apps"], ["pods", "statefulsets", "secrets"], ["get", "list", "watch", "create", "update", "delete"])],
        "cert-manager": [Rule(["cert-manager.io", "acme.cert-manager.io", ""], ["*"], ["*"])],
        "nginx-ingress": [Rule(["", "networking.k8s.io", "discovery.k8s.io", "coordination.k8s.io"],
                               ["services", "endpoints", "endpointslices", "secrets", "configmaps", "pods", "ingresses",
                                "ingressclasses", "ingresses/status", "leases", "events"], ["get", "list", "watch", "create", "update"])],
        "istio": [Rule(["", "networking.istio.io", "security.istio.io", "admissionregistration.k8s.io", "discovery.k8s.io"],
                       ["*"], ["get", "list", "watch", "update", "patch"])],
        "cluster-autoscaler": [readWorkloads, Rule([""], ["nodes", "pods/eviction", "events", "configmaps"],
                                                   ["get", "list", "watch", "update", "patch", "create", "delete"])],
        "external-dns": [Rule(["", "networking.k8s.io"], ["services", "endpoints", "pods", "nodes", "ingresses"], ["get", "list", "watch"])],
        "prometheus": [readWorkloads, Rule([""], ["nodes/metrics", "nodes/proxy"], ["get"])],
        "kube-state-metrics": [readWorkloads],
        "image-cache": [readWorkloads],
        "nfs-client-provisioner": [Rule([""], ["persistentvolumes", "persistentvolumeclaims", "events"],
                                        ["get", "list", "watch", "create", "update", "delete"])],
        "aws-ebs-csi-driver": [Rule(["", "storage.k8s.io"], ["persistentvolumes", "persistentvolumeclaims", "nodes", "volumeattachments",
                                                             "csinodes"], ["get", "list", "watch", "create", "update", "patch", "delete"])],
        "aws-efs-csi-driver": [Rule(["", "storage.k8s.io"], ["persistentvolumes", "persistentvolumeclaims", "nodes", "csinodes"],
                                    ["get", "list", "watch", "create", "update", "patch", "delete"])],
        "csi-driver-smb": [Rule(["", "storage.k8s.io"], ["persistentvolumes", "persistentvolumeclaims", "nodes"],
                                ["get", "list", "watch", "create", "update", "patch", "delete"])],
        "newrelic-infrastructure": [readWorkloads],
        "newrelic-events": [Rule([""], ["events"], ["get", "list", "watch"])],
        "kuberhealthy": [readWorkloads],
        "domino-admin-toolkit": [readWorkloads],
        "cost-analyzer": [readWorkloads],
        "fleetcommand-reporter": [readWorkloads],
        "flyte": [Rule(["", "batch"], ["pods", "jobs", "configmaps", "secrets"], ["get", "list", "watch", "create", "update", "delete"])],
        "teleport-kube-agent": [readWorkloads],
    ]
}
