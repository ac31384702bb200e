import Config
import Platform
import Schema

/// Renders one installed release: its service accounts and API rights, its workloads at their sized replicas and
/// resources, Services, disruption budgets, routes, network policies, and the Secrets its config values fill.
enum ReleaseRenderer {
    static func render(_ release: Release, _ ctx: inout RenderContext) -> [ManifestObject] {
        let sized = ctx.sizing.workloads.filter { $0.release == release.name }
        let catalog = Dictionary(uniqueKeysWithValues: release.workloads.map { ($0.name, $0) })
        var out: [ManifestObject] = []
        let namespaces = orderedUnique(release.workloads.map { ReleaseNamespaces.of($0, in: release, ctx) }
                                       + [ReleaseNamespaces.primary(release, ctx)])
        let primary = ReleaseNamespaces.primary(release, ctx)
        let labels = ctx.labels.labels(release: release.name, name: release.name)
        let hook = ReleaseHooks.hook(release.name)
        let identity = hook?.serviceAccount?(ctx) ?? [:]
        for ns in namespaces {
            out.append(CoreObjects.serviceAccount(release.name, namespace: ns, labels: labels, annotations: identity,
                                                  pullSecret: ctx.pullSecret, release: release.name))
        }
        if !release.access.isEmpty {
            let rules = release.access
            let role = "kiln-\(release.name)"
            out.append(PolicyObjects.role(role, namespace: nil, labels: labels, rules: rules, release: release.name))
            for ns in namespaces {
                out.append(PolicyObjects.binding(namespaces.count == 1 ? role : "\(role)-\(ns)", namespace: nil, labels: labels,
                                                 role: role, serviceAccount: release.name, serviceAccountNamespace: ns,
                                                 release: release.name))
            }
        }
        let secrets = ConfigSecrets.objects(for: release, namespace: primary, &ctx)
        out += secrets.objects
        var routed: [PolicyObjects.IngressPath] = []
        var extraIngress: [JSONValue] = []
        for workload in sized {
            guard let spec = catalog[workload.name] else { continue }
            let ns = ReleaseNamespaces.of(spec, in: release, ctx)
            let objectLabels = ctx.labels.labels(release: release.name, name: workload.name)
            var pod = podTemplate(workload, spec, release: release,
                                  selector: ObjectLabels.selector(release: release.name, name: workload.name), ctx: ctx)
            pod.containers[0].secretEnv = secrets.env
            pod.containers[0].env += secrets.fixedEnv
            var draft = WorkloadDraft(name: workload.name, namespace: ns, pod: pod, kind: workload.kind,
                                      service: ServiceShape(ports: spec.ports.map { ($0.name, $0.port) }, name: spec.serviceName),
                                      selector: ObjectLabels.selector(release: release.name, name: workload.name))
            hook?.apply(&draft, ctx)
            let selector = draft.selector
            pod = draft.pod
            pod.labels.merge(selector) { _, own in own }
            let kind = draft.kind
            let service = draft.service
            extraIngress += draft.extraIngress
            out += draft.extras
            switch kind {
            case .deployment:
                out.append(WorkloadObjects.deployment(workload.name, namespace: ns, labels: objectLabels, selector: selector,
                                                      replicas: spec.autoscaling == nil ? workload.replicas : nil, pod: pod,
                                                      release: release.name))
            case .statefulSet:
                let claims = workload.volume.map { v in
                    [WorkloadObjects.ClaimTemplate(name: spec.volume?.claim ?? "data", storageClass: storageClass(v.storageClass, ctx),
                                                   size: "\(v.size)")]
                } ?? []
                if let claim = claims.first { pod.containers[0].mounts.append((name: claim.name, path: "/data", readOnly: false)) }
                out.append(WorkloadObjects.statefulSet(workload.name, namespace: ns, labels: objectLabels, selector: selector,
                                                       replicas: workload.replicas, serviceName: workload.name, pod: pod,
                                                       claims: claims, release: release.name))
            case .daemonSet:
                out.append(WorkloadObjects.daemonSet(workload.name, namespace: ns, labels: objectLabels, selector: selector, pod: pod,
                                                     release: release.name))
            case .cronJob:
                let schedule = ctx.config.string("release_overrides.\(release.name).chart_values.backups.schedule") ?? "@daily"
                out.append(WorkloadObjects.cronJob(workload.name, namespace: ns, labels: objectLabels, schedule: schedule, pod: pod,
                                                   release: release.name))
            }
            if !service.ports.isEmpty, kind != .daemonSet, kind != .cronJob {
                out.append(CoreObjects.service(service.name ?? workload.name, namespace: ns, labels: objectLabels,
                                               annotations: service.annotations, selector: selector,
                                               ports: service.ports.map { CoreObjects.ServicePort($0.name, $0.port, target: service.targets[$0.name],
                                                                                                 nodePort: service.nodePorts[$0.name]) },
                                               type: service.type, headless: kind == .statefulSet && service.type == "ClusterIP",
                                               externalTrafficPolicy: service.externalTrafficPolicy,
                                               loadBalancerSourceRanges: service.sourceRanges, release: release.name))
            }
            if workload.replicas > 1, kind == .deployment || kind == .statefulSet {
                switch spec.disruptionBudget {
                case .perMember(let names) where kind == .statefulSet:
                    // Members are pods `<name>-0`, `<name>-1`, …; a member the sizing does not run has no budget.
                    for (member, name) in names.prefix(workload.replicas).enumerated() {
                        let pod = selector.merging(["statefulset.kubernetes.io/pod-name": "\(workload.name)-\(member)"]) { own, _ in own }
                        out.append(PolicyObjects.podDisruptionBudget(name, namespace: ns, labels: objectLabels, selector: pod,
                                                                     keepEach: true, release: release.name))
                    }
                default:
                    out.append(PolicyObjects.podDisruptionBudget(workload.name, namespace: ns, labels: objectLabels, selector: selector,
                                                                 release: release.name))
                }
            }
            if let scaling = spec.autoscaling, kind == .deployment {
                out.append(PolicyObjects.horizontalPodAutoscaler(workload.name, namespace: ns, labels: objectLabels, target: workload.name,
                                                                 min: workload.replicas, max: workload.replicas * scaling.maxFactor,
                                                                 cpuPercent: scaling.cpuPercent, release: release.name))
            }
            if let path = spec.route, let port = service.ports.first, !ctx.dataPlaneOnly {
                routed.append(PolicyObjects.IngressPath(path, service: service.name ?? workload.name, port: port.name))
            }
        }
        if let objects = hook?.objects { out += objects(primary, &ctx) }
        if !routed.isEmpty, let host = ctx.config.string(.hostname) {
            out.append(ingress(release, namespace: primary, host: host, paths: routed, ctx: ctx))
        }
        if ctx.networkPolicies {
            for ns in namespaces {
                out.append(NetworkPolicies.release(release, namespace: ns, ctx: ctx, routed: !routed.isEmpty, extraIngress: extraIngress))
            }
        }
        return out
    }

    /// The pod of a workload: image, sized resources, probes, the platform's security context (or the documented
    /// exception), placement, and the global pod labels, annotations and environment.
    static func podTemplate(_ w: SizedWorkload, _ spec: Workload, release: Release, selector: [String: String],
                            ctx: RenderContext) -> PodTemplate {
        var container = PodTemplate.Container(name: w.name, image: ctx.image(spec.image, of: release.name))
        container.ports = spec.ports.map { ($0.name, $0.port) }
        container.requests = w.requests.map { ("\($0.cpu)", "\($0.memory)") }
        container.limits = w.limits.map { ("\($0.cpu)", "\($0.memory)") }
        container.probePort = container.ports.first?.name
        container.privileged = spec.privileged && !(release.name == "elasticsearch")
        container.env = ctx.podEnvironment
        var labels = ctx.map(.globalPodLabels).merging(selector) { _, own in own }
        labels["app.kubernetes.io/part-of"] = ctx.labels.installName
        // Network policies select a release's pods by this label: a workload's own selector may follow the docs instead
        // (the data-plane load balancer's `auth-proxy` labels).
        labels[ObjectLabels.release] = release.name
        if ctx.istioSidecars, release.namespace != .istio, release.namespace != .system, spec.kind != .daemonSet {
            labels["sidecar.istio.io/inject"] = "true"
        }
        var pod = PodTemplate(labels: labels, serviceAccount: release.name, containers: [container])
        pod.annotations = ctx.map(.globalPodAnnotations)
        pod.nodeSelector = ctx.nodeSelector(spec.nodes)
        if spec.nodes == .gpu {
            pod.tolerations.append(.object([("key", .string("nvidia.com/gpu")), ("operator", .string("Exists")),
                                            ("effect", .string("NoSchedule"))]))
        }
        if spec.kind != .daemonSet, spec.nodes == .platform, !ctx.dataPlaneOnly { pod.priorityClass = RenderContext.priorityClass }
        return pod
    }

    static func storageClass(_ role: Workload.Volume.StorageClass, _ ctx: RenderContext) -> String {
        role == .block ? (ctx.config.filled(.storageClassesBlockName) ?? "dominodisk")
            : (ctx.config.filled(.storageClassesSharedName) ?? "dominoshared")
    }

    /// The route of a release at the platform's hostname, with TLS and the redirect as `ssl_enabled` and
    /// `ssl_redirect` say.
    static func ingress(_ release: Release, namespace: String, host: String, paths: [PolicyObjects.IngressPath],
                        ctx: RenderContext) -> ManifestObject {
        let tls = ctx.config.bool(.sslEnabled)
        var annotations = ["nginx.ingress.kubernetes.io/ssl-redirect": ctx.config.bool(.sslRedirect) && tls ? "true" : "false",
                           "nginx.ingress.kubernetes.io/proxy-body-size": "0"]
        if ctx.config.bool(.ingressControllerIstioAnnotations) {
            annotations["nginx.ingress.kubernetes.io/service-upstream"] = "true"
        }
        if let ip = ctx.config.filled(.ingressControllerGcpStaticIpName) {
            annotations["kubernetes.io/ingress.global-static-ip-name"] = ip
        }
        return PolicyObjects.ingress(release.name, namespace: namespace, labels: ctx.labels.labels(release: release.name, name: release.name),
                                     annotations: annotations, className: ctx.config.string(.ingressControllerClassName) ?? "nginx",
                                     host: host, paths: paths, tlsSecret: tls ? "domino-tls" : nil, release: release.name)
    }

    static func orderedUnique(_ items: [String]) -> [String] {
        var seen = Set<String>()
        return items.filter { seen.insert($0).inserted }
    }
}

/// How a workload's Service looks; customizations change it (the ingress controller's load balancer).
struct ServiceShape {
    var ports: [(name: String, port: Int)]
    var name: String?
    var type = "ClusterIP"
    var annotations: [String: String] = [:]
    var externalTrafficPolicy: String?
    var sourceRanges: [String] = []
    var targets: [String: JSONValue] = [:]
    var nodePorts: [String: Int] = [:]
}
