import Config

private typealias R = ResourceAmounts

/// Ingress, certificates, the service mesh, DNS and remote access.
enum Networking {
    static let all = [certManager, nginxIngress, istio, externalDNS, teleport]

    static let certManager = Release(
        "cert-manager", .core, "cert-manager: the platform's certificates (one per cluster)",
        namespace: .system, planes: .all,
        workloads: [
            .controller("cert-manager", image: .mirrored("jetstack.cert-manager-controller", "v1.16.3"), requests: R("50m", "128Mi"),
                        limits: R("200m", "256Mi")),
            .controller("cert-manager-webhook", image: .mirrored("jetstack.cert-manager-webhook", "v1.16.3"),
                        requests: R("20m", "64Mi"), limits: R("100m", "128Mi")).serving([("https", 10250)]),
            .controller("cert-manager-cainjector", image: .mirrored("jetstack.cert-manager-cainjector", "v1.16.3"),
                        requests: R("20m", "128Mi"), limits: R("100m", "256Mi")),
        ],
        reference: "admin_guide/configuration/installer-configuration.txt") { config in .key("certificate_management.install", config) }
        .accessing([APIRule(["cert-manager.io", "acme.cert-manager.io", ""], ["*"], ["*"])])

    static let nginxIngress = Release(
        "nginx-ingress", .core, "NGINX ingress controller (service nginx-ingress-controller), class `nginx`",
        dependencies: ["cert-manager", "istio"],
        workloads: [.service("nginx-ingress-controller", image: .mirrored("ingress-nginx.controller", "v1.11.5"), replicas: 2,
                             requests: R("500m", "512Mi"), limits: R("1", "1Gi")).serving([("http", 80), ("https", 443)])],
        reference: "admin_guide/installation/manage-deployments/aws/deploy.txt"
    ) { config in .key("ingress_controller.install", config) }
        .accessing([APIRule(["", "networking.k8s.io", "discovery.k8s.io", "coordination.k8s.io"], ["services", "endpoints", "endpointslices", "secrets", "configmaps", "pods", "ingresses", "ingressclasses", "ingresses/status", "leases", "events"], ["get", "list", "watch", "create", "update"])])

    static let istio = Release(
        "istio", .core, "Istio control plane (istiod) for encryption in transit; for the platform's use only",
        namespace: .istio, planes: .all,
        workloads: [.service("istiod", image: .mirrored("istio.pilot", "1.23.4"), replicas: 2, requests: R("500m", "2Gi"),
                             limits: R("1", "4Gi")).serving([("grpc-xds", 15010), ("https-dns", 15012), ("https-webhook", 15017)])],
        reference: "admin_guide/configuration/installer-configuration.txt") { config in .key("istio.install", config) }
        .accessing([APIRule(["", "networking.istio.io", "security.istio.io", "admissionregistration.k8s.io", "discovery.k8s.io"], ["*"], ["get", "list", "watch", "update", "patch"])])

    static let externalDNS = Release(
        "external-dns", .core, "external-dns: configures the cloud DNS provider",
        workloads: [.controller("external-dns", image: .mirrored("external-dns.external-dns", "v0.15.1"), requests: R("50m", "64Mi"),
                                limits: R("100m", "128Mi"))],
        reference: "admin_guide/configuration/installer-configuration.txt"
    ) { config in config.filled(.externalDnsProvider) != nil ? .on("external_dns.provider is set") : .off("no external_dns.provider") }
        .accessing([APIRule(["", "networking.k8s.io"], ["services", "endpoints", "pods", "nodes", "ingresses"], ["get", "list", "watch"])])

    static let teleport = Release(
        "teleport-kube-agent", .core, "Teleport Kubernetes agent for remote access",
        planes: .all,
        workloads: [.controller("teleport-kube-agent", image: .mirrored("gravitational.teleport", "16.4.14"),
                                requests: R("100m", "256Mi"), limits: R("500m", "512Mi"))],
        reference: "admin_guide/configuration/installer-configuration.txt"
    ) { config in config.has(.teleportKubeAgent) ? .on("teleport_kube_agent is present") : .off("no teleport_kube_agent section") }
        .accessing([.readWorkloads])
        .readingSecrets([.init("auth-token", "teleport_kube_agent.authToken")])
}
