import Config
import Platform
import Schema

/// cluster-autoscaler: its cloud, node-group auto-discovery or explicit groups (`autoscaler.*`; cluster-requirements
/// page), as the upstream autoscaler's flags and variables.
enum ClusterAutoscalerHook {
    static let hook = ReleaseHook(pod: { _, pod, ctx in
        let c = ctx.config
        var args = ["--cloud-provider=\(c.string(.autoscalerCloudProvider) ?? "aws")", "--balance-similar-node-groups=true",
                    "--skip-nodes-with-local-storage=false", "--expander=least-waste"]
        let tags = c.list(.autoscalerAutoDiscoveryTags).compactMap(\.scalarText)
        if !tags.isEmpty {
            args.append("--node-group-auto-discovery=asg:tag=" + tags.joined(separator: ","))
        } else if let cluster = c.filled(.autoscalerAutoDiscoveryClusterName) {
            args.append("--node-group-auto-discovery=asg:tag=k8s.io/cluster-autoscaler/enabled,k8s.io/cluster-autoscaler/\(cluster)")
        }
        for group in c.list(.autoscalerGroups) {
            if let name = group["name"]?.scalarText, let min = group["min_size"]?.scalarText, let max = group["max_size"]?.scalarText {
                args.append("--nodes=\(min):\(max):\(name)")
            }
        }
        pod.containers[0].args = args
        if let region = c.filled(.autoscalerAwsRegion) { pod.containers[0].env.append(("AWS_REGION", region)) }
        if let group = c.filled(.autoscalerAzureResourceGroup) { pod.containers[0].env.append(("ARM_RESOURCE_GROUP", group)) }
        if let sub = c.filled(.autoscalerAzureSubscriptionId) { pod.containers[0].env.append(("ARM_SUBSCRIPTION_ID", sub)) }
    })
}

/// external-dns: provider, domain and zone filters, and the TXT owner id that marks its records (`external_dns.*`,
/// `txt_owner_id`).
enum ExternalDNSHook {
    static let hook = ReleaseHook(pod: { _, pod, ctx in
        let c = ctx.config
        var args = ["--source=ingress", "--provider=\(c.string(.externalDnsProvider) ?? "aws")", "--policy=upsert-only",
                    "--registry=txt"]
        args += c.list(.externalDnsDomainFilters).compactMap(\.scalarText).map { "--domain-filter=\($0)" }
        args += c.list(.externalDnsZoneIdFilters).compactMap(\.scalarText).map { "--zone-id-filter=\($0)" }
        if let owner = c.filled(.txtOwnerId) { args.append("--txt-owner-id=\(owner)") }
        pod.containers[0].args = args
    })
}

/// elasticsearch: with `elasticsearch.enable_sysctl`, the documented exception: an init container that runs as root
/// to set `vm.max_map_count`.
enum ElasticsearchHook {
    static let hook = ReleaseHook(pod: { _, pod, ctx in
        guard ctx.config.bool(.elasticsearchEnableSysctl) else { return }
        var sysctl = PodTemplate.Container(name: "sysctl", image: pod.containers[0].image)
        sysctl.args = ["sysctl", "-w", "vm.max_map_count=262144"]
        sysctl.privileged = true
        if ctx.config.bool(.requestResources) {
            sysctl.requests = ("10m", "16Mi")
            sysctl.limits = ("100m", "32Mi")
        }
        pod.initContainers.append(sysctl)
    })
}

/// image-cache: the agent pre-pulls images through the host's container runtime socket, privileged (image caching
/// page).
enum ImageCacheHook {
    static let hook = ReleaseHook(pod: { workload, pod, _ in
        guard workload == "image-cache-agent" else { return }
        pod.volumes.append(.object([("name", .string("docker-socket")), ("hostPath", .object([
            ("path", .string("/var/run/docker.sock")), ("type", .string("Socket")),
        ]))]))
        pod.containers[0].mounts.append((name: "docker-socket", path: "/var/run/docker.sock", readOnly: false))
    })
}

/// nfs-client-provisioner: the NFS export behind the shared class (`storage_classes.shared.nfs`; GKE architecture
/// page).
enum NFSProvisionerHook {
    static let hook = ReleaseHook(pod: { _, pod, ctx in
        let server = ctx.config.string(.storageClassesSharedNfsServer) ?? ""
        let path = ctx.config.string(.storageClassesSharedNfsMountPath) ?? "/"
        pod.containers[0].env += [("PROVISIONER_NAME", NFSProvisioner.name), ("NFS_SERVER", server), ("NFS_PATH", path)]
        pod.volumes.append(.object([("name", .string("nfs-root")), ("nfs", .object([("server", .string(server)), ("path", .string(path))]))]))
        pod.containers[0].mounts.append((name: "nfs-root", path: "/persistentvolumes", readOnly: false))
    })
}
