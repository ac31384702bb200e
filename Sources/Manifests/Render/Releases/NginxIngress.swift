import Config
import Platform
import Schema

/// nginx-ingress: the controller as `release_overrides.nginx-ingress.chart_values` shapes it (the deploy pages'
/// per-cloud blocks): kind, host network, the Service (type, annotations, traffic policy, source ranges, target and
/// node ports), `config` as its ConfigMap, `extraArgs` as flags, `networkPolicy.ipCidrs` as the addresses its
/// policy admits; on GKE the reserved address `ingress_controller.gcp_static_ip_name` on its load balancer.
enum NginxIngressHook {
    static let controller = "nginx-ingress-controller"

    static let hook = ReleaseHook(workload: { draft, ctx in
        guard draft.name == controller else { return }
        let values = ctx.config.root.value(at: KeyPath(parsing: "release_overrides.nginx-ingress.chart_values"))
        let chart = values?["controller"]
        let namespace = draft.namespace
        if chart?["kind"]?.scalarText == "DaemonSet" { draft.kind = .daemonSet }
        if chart?["hostNetwork"]?.scalarText == "true" { draft.pod.hostNetwork = true }
        let className = ctx.config.string(.ingressControllerClassName) ?? "nginx"
        var args = ["/nginx-ingress-controller", "--ingress-class=\(className)", "--controller-class=k8s.io/ingress-nginx",
                    "--configmap=\(namespace)/\(controller)", "--publish-service=\(namespace)/\(controller)"]
        for member in chart?["extraArgs"]?.members ?? [] {
            args.append("--\(member.key)=\(member.value.scalarText ?? "")")
        }
        draft.pod.containers[0].args = args
        // The controller finds itself through the downward API.
        draft.pod.containers[0].fieldEnv += [("POD_NAME", "metadata.name"), ("POD_NAMESPACE", "metadata.namespace")]
        var config: [String: String] = [:]
        for member in chart?["config"]?.members ?? [] { config[member.key] = member.value.scalarText ?? "" }
        draft.extras.append(CoreObjects.configMap(controller, namespace: namespace, data: config,
                                                  labels: ctx.labels("nginx-ingress", controller), release: "nginx-ingress"))
        let svc = chart?["service"]
        var service = draft.service
        service.name = controller
        service.type = svc?["type"]?.scalarText ?? "LoadBalancer"
        for member in svc?["annotations"]?.members ?? [] { service.annotations[member.key] = member.value.scalarText ?? "" }
        if let address = ctx.config.filled(.ingressControllerGcpStaticIpName), service.type == "LoadBalancer" {
            // GKE assigns a reserved regional address, by name, to a LoadBalancer Service with this annotation.
            service.annotations["networking.gke.io/load-balancer-ip-addresses"] = address
        }
        service.externalTrafficPolicy = service.type == "ClusterIP" ? nil : svc?["externalTrafficPolicy"]?.scalarText
        service.sourceRanges = service.type == "LoadBalancer"
            ? (svc?["loadBalancerSourceRanges"]?.elements ?? []).compactMap(\.scalarText) : []
        for member in svc?["targetPorts"]?.members ?? [] { service.targets[member.key] = .string(member.value.scalarText ?? member.key) }
        for member in svc?["nodePorts"]?.members ?? [] {
            if let n = member.value.scalarText.flatMap(Int.init) { service.nodePorts[member.key] = n }
        }
        draft.service = service
        // Who may reach the controller: the chart's ipCidrs and ingress_controller.allowed_cidrs (the load balancer
        // stays open: the network policy enforces, as the EKS page says).
        let cidrs = ((values?["networkPolicy"]?["ipCidrs"]?.elements ?? []) + ctx.config.list(.ingressControllerAllowedCidrs))
            .compactMap(\.scalarText)
        let blocks = cidrs.isEmpty ? ["0.0.0.0/0"] : cidrs
        draft.extraIngress.append(.object([
            ("from", .array(blocks.map { .object([("ipBlock", .object([("cidr", .string($0))]))]) })),
            ("ports", .array([NetworkPolicies.port(80), NetworkPolicies.port(443)])),
        ]))
    })
}
