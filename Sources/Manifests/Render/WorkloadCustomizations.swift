import Config
import Platform
import Schema

/// What some workloads need beyond the generic pod, each as the reference describes it.
enum WorkloadCustomizations {
    static func apply(release: Release, workload: SizedWorkload, namespace: String, pod: inout PodTemplate,
                      kind: inout Workload.Kind, service: inout ServiceShape, extras: inout [ManifestObject],
                      extraIngress: inout [JSONValue], ctx: RenderContext) {
        let c = ctx.config
        switch workload.name {
        case "nginx-ingress-controller":
            ingressController(namespace: namespace, pod: &pod, kind: &kind, service: &service, extras: &extras,
                              extraIngress: &extraIngress, ctx: ctx)
        case "cluster-autoscaler":
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
        case "external-dns":
            var args = ["--source=ingress", "--provider=\(c.string("external_dns.provider") ?? "aws")", "--policy=upsert-only",
                        "--registry=txt"]
            args += c.list("external_dns.domain_filters").compactMap(\.scalarText).map { "--domain-filter=\($0)" }
            args += c.list("external_dns.zone_id_filters").compactMap(\.scalarText).map { "--zone-id-filter=\($0)" }
            if let owner = c.filled("txt_owner_id") { args.append("--txt-owner-id=\(owner)") }
            pod.containers[0].args = args
        case "elasticsearch" where c.bool("elasticsearch.enable_sysctl"):
            // The documented exception: an init container that runs as root to set vm.max_map_count.
            var sysctl = PodTemplate.Container(name: "sysctl", image: pod.containers[0].image)
            sysctl.args = ["sysctl", "-w", "vm.max_map_count=262144"]
            sysctl.privileged = true
            sysctl.requests = ("10m", "16Mi")
            sysctl.limits = ctx.config.bool("request_resources") ? ("100m", "32Mi") : nil
            if !ctx.config.bool("request_resources") { sysctl.requests = nil }
            pod.initContainers.append(sysctl)
        case "image-cache-agent":
            // Privileged, with the host's container runtime socket, to pre-pull images (image caching page).
            pod.volumes.append(.object([("name", .string("docker-socket")), ("hostPath", .object([
                ("path", .string("/var/run/docker.sock")), ("type", .string("Socket")),
            ]))]))
            pod.containers[0].mounts.append((name: "docker-socket", path: "/var/run/docker.sock", readOnly: false))
        case "nfs-client-provisioner":
            let server = c.string("storage_classes.shared.nfs.server") ?? ""
            let path = c.string("storage_classes.shared.nfs.mount_path") ?? "/"
            pod.containers[0].env += [("PROVISIONER_NAME", NFSProvisioner.name), ("NFS_SERVER", server), ("NFS_PATH", path)]
            pod.volumes.append(.object([("name", .string("nfs-root")), ("nfs", .object([("server", .string(server)), ("path", .string(path))]))]))
            pod.containers[0].mounts.append((name: "nfs-root", path: "/persistentvolumes", readOnly: false))
        case "domino-workbench-backup":
            let script = c.string("release_overrides.domino-data-importer.chart_values.backupJobScript")
                ?? "importer backup --upload --archive --delete --alert-on-fail"
            pod.containers[0].args = ["/bin/sh", "-c", script]
        case "docker-registry":
            pod.containers[0].env += registryStorage(c)
        case "auth-proxy":
            if let secret = c.filled("release_overrides.data-plane.chart_values.auth-proxy.config.nginx.tlsSecretName") {
                pod.volumes.append(.object([("name", .string("tls")), ("secret", .object([("secretName", .string(secret))]))]))
                pod.containers[0].mounts.append((name: "tls", path: "/etc/nginx/tls", readOnly: true))
            }
        default:
            break
        }
    }

    /// The registry's storage backend from `internal_docker_registry.*_override` (filesystem on its volume otherwise).
    static func registryStorage(_ c: ConfigView) -> [(String, String)] {
        if let bucket = c.filled("internal_docker_registry.s3_override.bucket") {
            var env = [("REGISTRY_STORAGE", "s3"), ("REGISTRY_STORAGE_S3_BUCKET", bucket),
                       ("REGISTRY_STORAGE_S3_REGION", c.string("internal_docker_registry.s3_override.region") ?? "")]
            if let key = c.filled("internal_docker_registry.s3_override.sse_kms_key_id") {
                env += [("REGISTRY_STORAGE_S3_ENCRYPT", "true"), ("REGISTRY_STORAGE_S3_KEYID", key)]
            }
            return env
        }
        if let bucket = c.filled("internal_docker_registry.gcs_override.bucket") {
            return [("REGISTRY_STORAGE", "gcs"), ("REGISTRY_STORAGE_GCS_BUCKET", bucket)]
        }
        if let account = c.filled("internal_docker_registry.azure_blobs_override.account_name") {
            return [("REGISTRY_STORAGE", "azure"), ("REGISTRY_STORAGE_AZURE_ACCOUNTNAME", account),
                    ("REGISTRY_STORAGE_AZURE_CONTAINER", c.string("internal_docker_registry.azure_blobs_override.container") ?? "")]
        }
        return [("REGISTRY_STORAGE", "filesystem"), ("REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY", "/data")]
    }

    /// The NGINX controller as `release_overrides.nginx-ingress.chart_values` shapes it: kind, host network, the
    /// Service (type, annotations, traffic policy, source ranges, target and node ports), `config` as its ConfigMap,
    /// `extraArgs` as flags, `networkPolicy.ipCidrs` as the addresses its policy admits.
    static func ingressController(namespace: String, pod: inout PodTemplate, kind: inout Workload.Kind, service: inout ServiceShape,
                                  extras: inout [ManifestObject], extraIngress: inout [JSONValue], ctx: RenderContext) {
        let values = ctx.config.root.value(at: KeyPath(parsing: "release_overrides.nginx-ingress.chart_values"))
        let controller = values?["controller"]
        if controller?["kind"]?.scalarText == "DaemonSet" { kind = .daemonSet }
        if controller?["hostNetwork"]?.scalarText == "true" { pod.hostNetwork = true }
        let className = ctx.config.string("ingress_controller.class_name") ?? "nginx"
        var args = ["/nginx-ingress-controller", "--ingress-class=\(className)", "--controller-class=k8s.io/ingress-nginx",
                    "--configmap=\(namespace)/nginx-ingress-controller", "--publish-service=\(namespace)/nginx-ingress-controller"]
        for member in controller?["extraArgs"]?.members ?? [] {
            args.append("--\(member.key)=\(member.value.scalarText ?? "")")
        }
        pod.containers[0].args = args
        pod.containers[0].env += [("POD_NAME", ""), ("POD_NAMESPACE", namespace)].filter { !$0.1.isEmpty }
        let labels = ctx.labels.labels(release: "nginx-ingress", name: "nginx-ingress-controller")
        var config: [String: String] = [:]
        for member in controller?["config"]?.members ?? [] { config[member.key] = member.value.scalarText ?? "" }
        extras.append(CoreObjects.configMap("nginx-ingress-controller", namespace: namespace, data: config, labels: labels,
                                            release: "nginx-ingress"))
        let svc = controller?["service"]
        service.name = "nginx-ingress-controller"
        service.type = svc?["type"]?.scalarText ?? "LoadBalancer"
        for member in svc?["annotations"]?.members ?? [] { service.annotations[member.key] = member.value.scalarText ?? "" }
        service.externalTrafficPolicy = service.type == "ClusterIP" ? nil : svc?["externalTrafficPolicy"]?.scalarText
        service.sourceRanges = service.type == "LoadBalancer" ? (svc?["loadBalancerSourceRanges"]?.elements ?? []).compactMap(\.scalarText) : []
        for member in svc?["targetPorts"]?.members ?? [] { service.targets[member.key] = .string(member.value.scalarText ?? member.key) }
        for member in svc?["nodePorts"]?.members ?? [] {
            if let n = member.value.scalarText.flatMap(Int.init) { service.nodePorts[member.key] = n }
        }
        // Who may reach the controller: the chart's ipCidrs and ingress_controller.allowed_cidrs (the load balancer
        // stays open: the network policy enforces).
        let cidrs = ((values?["networkPolicy"]?["ipCidrs"]?.elements ?? []) + ctx.config.list("ingress_controller.allowed_cidrs"))
            .compactMap(\.scalarText)
        let blocks = cidrs.isEmpty ? ["0.0.0.0/0"] : cidrs
        extraIngress.append(.object([
            ("from", .array(blocks.map { .object([("ipBlock", .object([("cidr", .string($0))]))]) })),
            ("ports", .array([NetworkPolicies.port(80), NetworkPolicies.port(443)])),
        ]))
    }
}
