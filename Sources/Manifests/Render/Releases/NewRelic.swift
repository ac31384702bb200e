import Config
import Platform

/// New Relic (admin_guide/operations/monitoring/new-relic.txt): APM agents in the platform's services
/// (`monitoring.newrelic.apm`, through nri-metadata-injection), and the infrastructure agent, which leaves the
/// Kubernetes control plane alone where the cloud manages it (`monitoring.newrelic.managed_controlplane`). The
/// variables follow the New Relic agents' own names.
enum NewRelicHook {
    static let infrastructure = ReleaseHook(pod: { _, pod, ctx in
        let managed = ctx.config.bool(.monitoringNewrelicManagedControlplane)
        pod.containers[0].env += [("NRK8S_CONTROL_PLANE_ENABLED", managed ? "false" : "true"),
                                  ("CLUSTER_NAME", ctx.labels.installName)]
    })

    static let metadataInjection = ReleaseHook(pod: { _, pod, ctx in
        pod.containers[0].env.append(("NEW_RELIC_APM_INJECTION", ctx.config.bool(.monitoringNewrelicApm) ? "true" : "false"))
    })
}
