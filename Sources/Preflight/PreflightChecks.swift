/// The preflight table: one row per rule, in report order. Each rule cites the page that states the requirement;
/// `gatesApply` marks the rules `kiln apply` runs before it sends anything.
public enum PreflightChecks {
    static let requirements = "admin_guide/kubernetes-infrastructure/cluster-requirements.txt"

    public static let all: [CheckDefinition] = [
        CheckDefinition("kubernetes-version", "the server's Kubernetes version is validated for the provider and platform version",
                        doc: SupportMatrix.page, gatesApply: true, VersionRule.evaluate),
        // The minor-version rule is the upstream cluster autoscaler's (it is released and supported per Kubernetes minor);
        // the page cited is where the docs configure the autoscaler.
        CheckDefinition("autoscaler-version", "the cluster autoscaler's image is the release for the cluster's Kubernetes minor version",
                        doc: "admin_guide/configuration/installer-configuration.txt", gatesApply: false, AutoscalerRule.evaluate),
        CheckDefinition("node-pools", "nodes are labelled for the platform, default (compute) and GPU pools, enough of them",
                        doc: requirements, gatesApply: false, NodeRules.pools),
        CheckDefinition("platform-capacity", "the platform nodes' allocatable CPU and memory hold the sizing plan's requests",
                        doc: "admin_guide/domino-infrastructure/sizing-the-infrastructure/size-the-domino-platform/standard-size.txt",
                        gatesApply: false, NodeRules.capacity),
        CheckDefinition("node-taints", "platform and compute nodes carry no taint the platform's pods do not tolerate",
                        doc: requirements, gatesApply: false, NodeRules.taints),
        CheckDefinition("storage-classes", "the storage classes the config names exist, or kiln creates them",
                        doc: "admin_guide/configuration/installer-configuration.txt", gatesApply: false, StorageRules.classes),
        CheckDefinition("csi-drivers", "the storage classes' provisioners have their CSI drivers installed",
                        doc: requirements, gatesApply: false, StorageRules.drivers),
        CheckDefinition("default-storage-class", "a default storage class exists when a rendered claim names none",
                        doc: requirements, gatesApply: false, StorageRules.defaultClass),
        CheckDefinition("network-policy", "the CNI enforces NetworkPolicy when enable_network_policies is set",
                        doc: requirements, gatesApply: false, ClusterRules.networkPolicy),
        CheckDefinition("cert-manager", "cert-manager is there when the config does not install it, and not there when it does",
                        doc: "admin_guide/configuration/installer-configuration.txt", gatesApply: true, ClusterRules.certManager),
        CheckDefinition("namespaces", "the platform's namespaces are free or kiln's, not another tool's",
                        doc: "admin_guide/configuration/installer-configuration.txt", gatesApply: true, ClusterRules.namespaces),
        CheckDefinition("api-groups", "the server serves every kind the render holds (or the render brings its CRD)",
                        doc: requirements, gatesApply: true, ClusterRules.apiGroups),
        CheckDefinition("permissions", "the user may get, list, create, patch and delete every kind kiln applies",
                        doc: requirements, gatesApply: true, ClusterRules.permissions),
        CheckDefinition("offline-registry", "an offline install's private registry answers and holds every image",
                        doc: "admin_guide/installation/manage-deployments/private-offline.txt", gatesApply: false, ClusterRules.registry),
    ]

    public static func named(_ id: String) -> CheckDefinition? { all.first { $0.id == id } }
}
