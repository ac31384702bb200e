import Config
import Platform
import Schema

/// data-plane, a remote data plane (Nexus): its agent knows its control plane, and its auth proxy is reachable
/// through a load balancer (admin_guide/platform-management/manage-data-planes/enable-data-plane.txt).
///
/// - The agent reaches the control plane at `hostname` (on a data-plane install, the control plane's hostname) and
///   registers with the token the control plane's bootstrap script leaves in the Secret `data-plane-registration`
///   (the docs do not name it; kiln refers to it, optionally, so the agent starts before it exists).
/// - The load balancer selects pods labelled `app.kubernetes.io/{component,instance,name}=auth-proxy` and sends
///   traffic to port 8080; the proxy serves TLS with the certificate `auth-proxy.config.nginx.tlsSecretName` names.
enum DataPlaneHook {
    static let registrationSecret = "data-plane-registration"
    static let proxy = "auth-proxy"
    static let proxyLabels = ["app.kubernetes.io/component": proxy, "app.kubernetes.io/instance": proxy,
                              "app.kubernetes.io/name": proxy]

    static let hook = ReleaseHook(workload: { draft, ctx in
        switch draft.name {
        case "data-plane-agent":
            if let host = ctx.config.filled(.hostname) {
                draft.pod.containers[0].env += [("DOMINO_CONTROL_PLANE_HOST", host),
                                                ("DOMINO_CONTROL_PLANE_URL", "\(ctx.config.bool(.sslEnabled) ? "https" : "http")://\(host)")]
            }
            draft.pod.containers[0].optionalSecretEnv.append((name: "DOMINO_DATA_PLANE_TOKEN", secret: registrationSecret, key: "token"))
        case proxy:
            draft.selector = proxyLabels
            draft.service.name = proxy
            draft.service.type = "LoadBalancer"
            draft.service.ports = [("https", 443)]
            draft.service.targets = ["https": .number(8080)]
            if let secret = ctx.config.filled("release_overrides.data-plane.chart_values.auth-proxy.config.nginx.tlsSecretName") {
                draft.pod.volumes.append(.object([("name", .string("tls")), ("secret", .object([("secretName", .string(secret))]))]))
                draft.pod.containers[0].mounts.append((name: "tls", path: "/etc/nginx/tls", readOnly: true))
            }
            // Users' browsers and tools reach workspaces through the load balancer from anywhere it admits.
            draft.extraIngress.append(.object([("ports", .array([NetworkPolicies.port(8080)]))]))
        default:
            break
        }
    })
}
