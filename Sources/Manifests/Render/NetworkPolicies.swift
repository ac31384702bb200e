import Config
import Platform
import Schema

/// Network policies when `enable_network_policies`: every namespace denies all traffic and allows DNS; then each
/// release's pods accept traffic from the releases that depend on it (and from the ingress controller where it
/// routes to them), and reach the releases they depend on. Releases that call the Kubernetes API or outside
/// services (blob stores, registries, identity providers) may also open HTTPS connections out.
enum NetworkPolicies {
    static func namespaceDefaults(_ ctx: RenderContext) -> [ManifestObject] {
        var seen = Set<String>()
        return BaseObjects.usedNamespaces(ctx).flatMap { role -> [ManifestObject] in
            let ns = ctx.namespace(role)
            guard seen.insert(ns).inserted else { return [] }
            let labels = BaseObjects.labels(ctx, "default-deny")
            let dns: JSONValue = .object([
                ("to", .array([.object([("namespaceSelector", .object([("matchLabels", .object([
                    ("kubernetes.io/metadata.name", .string("kube-system")),
                ]))]))])])),
                ("ports", .array([port(53, "UDP"), port(53, "TCP")])),
            ])
            return [
                PolicyObjects.networkPolicy("default-deny", namespace: ns, labels: labels, podSelector: [:], ingress: [], egress: [],
                                            release: BaseObjects.release),
                PolicyObjects.networkPolicy("allow-dns", namespace: ns, labels: BaseObjects.labels(ctx, "allow-dns"), podSelector: [:],
                                            ingress: nil, egress: [dns], release: BaseObjects.release),
            ]
        }
    }

    static func port(_ n: Int, _ proto: String = "TCP") -> JSONValue {
        .object([("protocol", .string(proto)), ("port", .number(Double(n)))])
    }

    static func peer(release: String, namespace: String) -> JSONValue {
        .object([
            ("namespaceSelector", .object([("matchLabels", .object([("kubernetes.io/metadata.name", .string(namespace))]))])),
            ("podSelector", .object([("matchLabels", .object([(ObjectLabels.release, .string(release))]))])),
        ])
    }

    /// The policy of one release's pods in `namespace`.
    static func release(_ release: Release, namespace: String, ctx: RenderContext, routed: Bool,
                        extraIngress: [JSONValue] = []) -> ManifestObject {
        let installed = Set(ctx.plan.installed.map(\.release.name))
        let dependents = ctx.plan.installed.map(\.release).filter { $0.dependencies.contains(release.name) }
        var from = dependents.map { peer(release: $0.name, namespace: ReleaseNamespaces.primary($0, ctx)) }
        if routed, installed.contains("nginx-ingress"), let nginx = ReleaseCatalog.release("nginx-ingress") {
            from.append(peer(release: "nginx-ingress", namespace: ReleaseNamespaces.primary(nginx, ctx)))
        }
        var ingress: [JSONValue] = from.isEmpty ? [] : [.object([("from", .array(from))])]
        ingress += extraIngress
        var egress: [JSONValue] = release.dependencies.filter(installed.contains).compactMap { name in
            ReleaseCatalog.release(name).map { .object([("to", .array([peer(release: name, namespace: ReleaseNamespaces.primary($0, ctx))]))]) }
        }
        if release.opensHTTPS {
            egress.append(.object([("ports", .array([port(443), port(6443)]))]))
        }
        if release.name == "nucleus", ctx.config.bool("email_notifications.enabled"),
           let smtp = ctx.config.number("email_notifications.port") {
            egress.append(.object([("ports", .array([port(Int(smtp))]))]))
        }
        return PolicyObjects.networkPolicy(release.name, namespace: namespace,
                                           labels: ctx.labels.labels(release: release.name, name: release.name),
                                           podSelector: [ObjectLabels.release: release.name],
                                           ingress: ingress, egress: egress, release: release.name)
    }
}

/// Which namespace a release's objects go to.
enum ReleaseNamespaces {
    static func primary(_ release: Release, _ ctx: RenderContext) -> String {
        ctx.namespace(release.namespace)
    }

    /// Workloads on compute nodes (BuildKit) run in the compute namespace, beside the executions they serve.
    static func of(_ workload: Workload, in release: Release, _ ctx: RenderContext) -> String {
        workload.nodes == .compute && workload.kind != .daemonSet ? ctx.namespace(.compute) : primary(release, ctx)
    }
}
