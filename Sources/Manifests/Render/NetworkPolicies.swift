import Config
import Platform
import Schema

/// Network policies when `enable_network_policies`: every namespace denies all traffic and allows DNS; then each
/// release's pods accept traffic from the releases that depend on it (and from the ingress controller where it
/// routes to them), and reach the releases they depend on. Releases that call the Kubernetes API or outside
/// services (blob stores, registries, identity providers) may also open HTTPS connections out. Prometheus scrapes
/// the ports every release serves, and executions (below) reach the services they call.
enum NetworkPolicies {
    static let prometheus = "prometheus"

    /// The releases executions call, each for the reason its page gives: the API (nucleus; clients call it,
    /// admin_guide/architecture/index.txt), the `/auth` and workspace paths at the platform's hostname (nginx-ingress,
    /// which in-cluster calls to its load balancer reach directly; user_guide/workspaces/run-multiple-apps-in-a-workspace.txt),
    /// Keycloak (apps verify tokens at `keycloak-http`, user_guide/apps/app-security.txt), Vault and RabbitMQ (the
    /// executor's broker, `computegrid.kubernetes.executor.rabbitMqExternal`, admin_guide/configuration/central-configuration.txt),
    /// the registry and Git (images and project history, admin_guide/architecture/index.txt), the data source proxy
    /// (model pods carry `datasource-proxy-client=true`, admin_guide/troubleshooting/model-api-issues.txt), the
    /// experiment manager (MLflow, where runs log their experiments), and the data plane's agent, which runs them (the local `data-plane-agent`, a
    /// remote plane's `data-plane` with its auth proxy and collector).
    static let calledByExecutions: Set<String> = ["nucleus", "nginx-ingress", "keycloak", "vault", "rabbitmq-ha", "docker-registry", "git",
                                                  "datasource-proxy", "mlflow", "data-plane-agent", "data-plane"]
    /// The releases that open connections to executions: the ingress controller and the API server, which route
    /// users to workspaces, apps and endpoints; the data plane's agent; a remote plane's auth proxy, which the
    /// workspace load balancer reaches (admin_guide/platform-management/manage-data-planes/enable-data-plane.txt).
    static let callingExecutions: Set<String> = ["nginx-ingress", "nucleus", "data-plane-agent", "data-plane"]

    static func namespaceDefaults(_ ctx: RenderContext) -> [ManifestObject] {
        var seen = Set<String>()
        // OpenShift's cluster DNS runs in `openshift-dns` and its pods listen on 5353 behind the Service's 53.
        let (dnsNamespace, dnsPorts) = ctx.openShift ? ("openshift-dns", [53, 5353]) : ("kube-system", [53])
        let dns: JSONValue = .object([
            ("to", .array([.object([("namespaceSelector", namespaceSelector(dnsNamespace))])])),
            ("ports", .array(dnsPorts.flatMap { [port($0, "UDP"), port($0, "TCP")] })),
        ])
        return BaseObjects.usedNamespaces(ctx).flatMap { role -> [ManifestObject] in
            let ns = ctx.namespace(role)
            guard seen.insert(ns).inserted else { return [] }
            let labels = BaseObjects.labels(ctx, "default-deny")
            return [
                PolicyObjects.networkPolicy("default-deny", namespace: ns, labels: labels, podSelector: [:], ingress: [], egress: [],
                                            release: BaseObjects.release),
                PolicyObjects.networkPolicy("allow-dns", namespace: ns, labels: BaseObjects.labels(ctx, "allow-dns"), podSelector: [:],
                                            ingress: nil, egress: [dns], release: BaseObjects.release),
            ] + (role == .compute ? [executions(ctx)] : [])
        }
    }

    /// Executions: the pods the platform starts for users in the compute namespace: `run-*` (jobs, workspaces, apps;
    /// labelled `dominodatalab.com/workload-type`), `model-*` endpoints (no such label), builds and cluster workers
    /// (admin_guide/domino-infrastructure/manage-compute-resources/nodes-and-node-pools/remove-node-from-service.txt).
    /// What they share is that no release of kiln's owns them, so they are selected as the compute namespace's pods
    /// without `kiln.dev/release` (which every pod kiln renders carries). They reach the services they call, each other (a distributed cluster's
    /// nodes), and anything outside the cluster but the cloud's instance metadata (data sources, package indexes,
    /// Git providers: "pods running on the cluster must have network connectivity to those resources",
    /// admin_guide/installation/manage-deployments/openshift.txt); the releases that route users to them reach them.
    static func executions(_ ctx: RenderContext) -> ManifestObject {
        let callers = installedPeers(callingExecutions, ctx)
        let called = installedPeers(calledByExecutions, ctx)
        let outside: JSONValue = .object([("ipBlock", .object([
            ("cidr", .string("0.0.0.0/0")), ("except", .array([.string("169.254.169.254/32")])),
        ]))])
        let peers = executionPeer(ctx)
        var egress: [JSONValue] = called.isEmpty ? [] : [.object([("to", .array(called))])]
        egress += [.object([("to", .array([peers]))]), .object([("to", .array([outside]))])]
        var policy = PolicyObjects.networkPolicy("executions", namespace: ctx.namespace(.compute),
                                                 labels: BaseObjects.labels(ctx, "executions"), podSelector: [:],
                                                 ingress: [.object([("from", .array(callers + [peers]))])], egress: egress,
                                                 release: BaseObjects.release)
        // The builder selects by labels only; executions are selected by a label they lack.
        policy.body = policy.body.map { key, value in
            guard key == "spec", let spec = value.objectValue else { return (key, value) }
            return (key, .object(spec.map { $0.0 == "podSelector" ? ($0.0, executionPods) : $0 }))
        }
        return policy
    }

    static let executionPods: JSONValue = .object([("matchExpressions", .array([.object([
        ("key", .string(ObjectLabels.release)), ("operator", .string("DoesNotExist")),
    ])]))])

    static func executionPeer(_ ctx: RenderContext) -> JSONValue {
        .object([("namespaceSelector", namespaceSelector(ctx.namespace(.compute))), ("podSelector", executionPods)])
    }

    /// The pods of the installed releases among `names`, in name order.
    static func installedPeers(_ names: Set<String>, _ ctx: RenderContext) -> [JSONValue] {
        ctx.plan.installed.map(\.release).filter { names.contains($0.name) }
            .map { peer(release: $0.name, namespace: ReleaseNamespaces.primary($0, ctx)) }
    }

    static func port(_ n: Int, _ proto: String = "TCP") -> JSONValue {
        .object([("protocol", .string(proto)), ("port", .number(Double(n)))])
    }

    static func namespaceSelector(_ namespace: String) -> JSONValue {
        .object([("matchLabels", .object([("kubernetes.io/metadata.name", .string(namespace))]))])
    }

    static func peer(release: String, namespace: String) -> JSONValue {
        .object([
            ("namespaceSelector", namespaceSelector(namespace)),
            ("podSelector", .object([("matchLabels", .object([(ObjectLabels.release, .string(release))]))])),
        ])
    }

    /// The ports a release's pods serve in `namespace` (its Services' and probes'): what Prometheus scrapes.
    static func servedPorts(_ release: Release, namespace: String, _ ctx: RenderContext) -> [Int] {
        var seen = Set<Int>()
        return release.workloads.filter { ReleaseNamespaces.of($0, in: release, ctx) == namespace }
            .flatMap { $0.ports.map(\.port) }.filter { seen.insert($0).inserted }
    }

    /// The policy of one release's pods in `namespace`.
    static func release(_ release: Release, namespace: String, ctx: RenderContext, routed: Bool,
                        extraIngress: [JSONValue] = []) -> ManifestObject {
        let installedReleases = ctx.plan.installed.map(\.release)
        let installed = Set(installedReleases.map(\.name))
        let dependents = installedReleases.filter { $0.dependencies.contains(release.name) }
        var from = dependents.map { peer(release: $0.name, namespace: ReleaseNamespaces.primary($0, ctx)) }
        if routed, installed.contains("nginx-ingress"), let nginx = ReleaseCatalog.release("nginx-ingress") {
            from.append(peer(release: "nginx-ingress", namespace: ReleaseNamespaces.primary(nginx, ctx)))
        }
        if calledByExecutions.contains(release.name) { from.append(executionPeer(ctx)) }
        var ingress: [JSONValue] = from.isEmpty ? [] : [.object([("from", .array(from))])]
        ingress += extraIngress
        let scraped = servedPorts(release, namespace: namespace, ctx)
        if release.name != prometheus, !scraped.isEmpty, let server = installedReleases.first(where: { $0.name == prometheus }) {
            ingress.append(.object([("from", .array([peer(release: prometheus, namespace: ReleaseNamespaces.primary(server, ctx))])),
                                    ("ports", .array(scraped.map { port($0) }))]))
        }
        var egress: [JSONValue] = release.dependencies.filter(installed.contains).compactMap { name in
            ReleaseCatalog.release(name).map { .object([("to", .array([peer(release: name, namespace: ReleaseNamespaces.primary($0, ctx))]))]) }
        }
        if callingExecutions.contains(release.name) { egress.append(.object([("to", .array([executionPeer(ctx)]))])) }
        if release.name == prometheus {
            // Prometheus scrapes every other release where it serves (the ingress side is above).
            for target in installedReleases where target.name != prometheus {
                for ns in ReleaseRenderer.orderedUnique(target.workloads.map { ReleaseNamespaces.of($0, in: target, ctx) }) {
                    let ports = servedPorts(target, namespace: ns, ctx)
                    guard !ports.isEmpty else { continue }
                    egress.append(.object([("to", .array([peer(release: target.name, namespace: ns)])),
                                           ("ports", .array(ports.map { port($0) }))]))
                }
            }
        }
        if release.opensHTTPS {
            egress.append(.object([("ports", .array([port(443), port(6443)]))]))
        }
        if release.name == "nucleus", ctx.config.bool(.emailNotificationsEnabled),
           let smtp = ctx.config.number(.emailNotificationsPort) {
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
