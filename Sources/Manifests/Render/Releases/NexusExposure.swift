import Config
import Platform
import Schema

/// A control plane that serves remote data planes (`nexus`, admin_guide/security-and-compliance/control-plane-security.txt
/// and admin_guide/architecture/nexus-hybrid-architecture.txt): Vault on HTTPS 8200, RabbitMQ on AMQP 5672 and streams
/// 5552, and the internal registry on 443 each get a load balancer of their own, admitting only `nexus.allowed_cidrs`
/// (at the load balancer and in the release's network policy). TLS is the load balancer's to terminate
/// (`nexus.load_balancer_annotations`): the services do not serve it.
enum NexusExposure {
    static let vault = hook(release: "vault", workload: "vault", ports: [("https", 8200, "https")])
    static let rabbitmq = hook(release: "rabbitmq-ha", workload: "rabbitmq-ha-311", ports: [("amqp", 5672, "amqp"), ("stream", 5552, "stream")])
    /// The registry serves plain HTTP on 5000 behind a load balancer that terminates TLS on 443.
    static let registryPorts = [("https", 443, "registry")]

    static func hook(release: String, workload: String, ports: [(String, Int, String)]) -> ReleaseHook {
        ReleaseHook(workload: { draft, ctx in
            guard draft.name == workload else { return }
            admit(&draft, ports: ports.map(\.2), ctx)
        }, objects: { _, ctx in
            service(for: workload, release: release, ports: ports, ctx)
        })
    }

    static func enabled(_ ctx: RenderContext) -> Bool { ctx.config.has(.nexus) && !ctx.config.isNull(.nexus) && !ctx.dataPlaneOnly }

    static func cidrs(_ ctx: RenderContext) -> [String] { ctx.config.list(.nexusAllowedCidrs).compactMap(\.scalarText) }

    /// The release's network policy admits the data planes' ranges on these ports.
    static func admit(_ draft: inout WorkloadDraft, ports: [String], _ ctx: RenderContext) {
        guard enabled(ctx) else { return }
        let blocks = cidrs(ctx).isEmpty ? ["0.0.0.0/0"] : cidrs(ctx)
        let numbers = ports.compactMap { name in draft.service.ports.first { $0.name == name }?.port }
        draft.extraIngress.append(.object([
            ("from", .array(blocks.map { .object([("ipBlock", .object([("cidr", .string($0))]))]) })),
            ("ports", .array(numbers.map { NetworkPolicies.port($0) })),
        ]))
    }

    /// `<workload>-external`: a LoadBalancer Service in front of the workload's pods.
    static func service(for workload: String, release: String, ports: [(String, Int, String)], _ ctx: RenderContext) -> [ManifestObject] {
        guard enabled(ctx) else { return [] }
        let name = "\(workload)-external"
        var annotations: [String: String] = [:]
        for member in ctx.config.instance(.nexusLoadBalancerAnnotations)?.members ?? [] {
            annotations[member.key] = member.value.scalarText ?? ""
        }
        return [CoreObjects.service(name, namespace: ctx.namespace(.platform), labels: ctx.labels(release, name),
                                    annotations: annotations, selector: ObjectLabels.selector(release: release, name: workload),
                                    ports: ports.map { CoreObjects.ServicePort($0.0, $0.1, target: .string($0.2)) },
                                    type: "LoadBalancer", loadBalancerSourceRanges: cidrs(ctx), release: release)]
    }

    /// The records data planes read to reach these services (central-configuration page, data-plane records).
    static func records(_ ctx: RenderContext) -> [String: String] {
        guard enabled(ctx) else { return [:] }
        let c = ctx.config
        var r: [String: String] = [:]
        r["com.cerebro.domino.hybrid.vaultExternal.host"] = c.filled(.nexusVaultHost)
        r["com.cerebro.domino.computegrid.kubernetes.executor.rabbitMqExternal.host"] = c.filled(.nexusRabbitmqHost)
        r["com.cerebro.domino.computegrid.kubernetes.executor.rabbitMqExternal.port"] = "5672"
        r["com.cerebro.domino.hybrid.internalRegistryExternal.host"] = c.filled(.nexusRegistryHost) ?? c.filled(.externalDockerRegistry)
        return r
    }
}
