import Config
import Platform
import Schema

/// cluster-autoscaler: its cloud, node-group auto-discovery or explicit groups (`autoscaler.*`; cluster-requirements
/// page), as the upstream autoscaler's flags and variables.
enum ClusterAutoscalerHook {
    static let hook = ReleaseHook(pod: { _, pod, ctx in
        let c = ctx.config
        var args = ["--cloud-provider=\(c.string("autoscaler.cloud_provider") ?? "aws")", "--balance-similar-node-groups=true",
                    "--skip-nodes-with-local-storage=false", "--expander=least-waste"]
        let tags = c.list("autoscaler.auto_discovery.tags").compactMap(\.scalarText)
        if !tags.isEmpty {
            args.append("--node-group-auto-discovery=asg:tag=" + tags.joined(separator: ","))
        } else if let cluster = c.filled("autoscaler.auto_discovery.cluster_name") {
            args.append("--node-group-auto-discovery=asg:tag=k8s.io/cluster-autoscaler/enabled,k8s.io/cluster-autoscaler/\(cluster)")
        }
        for group in c.list("autoscaler.groups") {
            if let name = group["name"]?.scalarText, let min = group["min_size"]?.scalarText, let max = group["max_size"]?.scalarText {
                args.append("--nodes=\(min):\(max):\(name)")
            }
        }
        pod.containers[0].args = args
        if let region = c.filled("autoscaler.aws.region") { pod.containers[0].env.append(("AWS_REGION", region)) }
        if let group = c.filled("autoscaler.azure.resource_group") { pod.containers[0].env.append(("ARM_RESOURCE_GROUP", group)) }
        if let sub = c.filled("autoscaler.azure.subscription_id") { pod.containers[0].env.append(("ARM_SUBSCRIPTION_ID", sub)) }
    })
}

/// external-dns: provider, domain and zone filters, and the TXT owner id that marks its records (`external_dns.*`,
/// `txt_owner_id`).
enum ExternalDNSHook {
    static let hook = ReleaseHook(pod: { _, pod, ctx in
        let c = ctx.config
        var args = ["--source=ingress", "--provider=\(c.string("external_dns.provider") ?? "aws")", "--policy=upsert-only",
                    "--registry=txt"]
        args += c.list("external_dns.domain_filters").compactMap(\.scalarText).map { "--domain-filter=\($0)" }
        args += c.list("external_dns.zone_id_filters").compactMap(\.scalarText).map { "--zone-id-filter=\($0)" }
        if let owner = c.filled("txt_owner_id") { args.append("--txt-owner-id=\(owner)") }
        pod.containers[0].args = args
    })
}

/// elasticsearch: with `elasticsearch.enable_sysctl`, the documented exception: an init container that runs as root
/// to set `vm.max_map_count`.
enum ElasticsearchHook {
    static let hook = ReleaseHook(pod: { _, pod, ctx in
        guard ctx.config.bool("elasticsearch.enable_sysctl") else { return }
        var sysctl = PodTemplate.Container(name: "sysctl", image: pod.containers[0].image)
        sysctl.args = ["sysctl", "-w", "vm.max_map_count=262144"]
        sysctl.privileged = true
        if ctx.config.bool("request_resources") {
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
        let server = ctx.config.string("storage_classes.shared.nfs.server") ?? ""
        let path = ctx.config.string("storage_classes.shared.nfs.mount_path") ?? "/"
        pod.containers[0].env += [("PROVISIONER_NAME", NFSProvisioner.name), ("NFS_SERVER", server), ("NFS_PATH", path)]
        pod.volumes.append(.object([("name", .string("nfs-root")), ("nfs", .object([("server", .string(server)), ("path", .string(path))]))]))
        pod.containers[0].mounts.append((name: "nfs-root", path: "/persistentvolumes", readOnly: false))
    })
}
