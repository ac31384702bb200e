import Config
import Platform
import Schema

/// fleetcommand-reporter reports to `fleetcommand.url` (admin_guide/configuration/deployment-telemetry.txt).
enum FleetcommandHook {
    static let hook = ReleaseHook(pod: { _, pod, ctx in
        pod.containers[0].env.append(("FLEETCOMMAND_URL", ctx.config.filled(.fleetcommandUrl) ?? "https://update.domino.tech/"))
    })
}

/// teleport-kube-agent joins the vendor's Teleport cluster at `teleport_kube_agent.proxyAddr` with its join token
/// (admin_guide/architecture/domino-on-aks.txt); the agent's `teleport.yaml` as its chart writes it.
enum TeleportHook {
    static let config = "teleport-kube-agent"

    static let hook = ReleaseHook(pod: { _, pod, ctx in
        pod.volumes.append(.object([("name", .string("config")), ("configMap", .object([("name", .string(config))]))]))
        pod.containers[0].mounts.append((name: "config", path: "/etc/teleport", readOnly: true))
        pod.containers[0].args = ["--config=/etc/teleport/teleport.yaml"]
    }, objects: { namespace, ctx in
        let proxy = ctx.config.filled("teleport_kube_agent.proxyAddr") ?? ""
        let file = ManifestYAML.text(json: .object([
            ("version", .string("v3")),
            ("teleport", .object([("proxy_server", .string(proxy)), ("join_params", .object([
                ("method", .string("token")), ("token_name", .string("/etc/teleport-secrets/auth-token")),
            ]))])),
            ("kubernetes_service", .object([("enabled", .bool(true)), ("kube_cluster_name", .string(ctx.labels.installName))])),
        ]))
        return [CoreObjects.configMap(config, namespace: namespace, data: ["teleport.yaml": file],
                                      labels: ctx.labels("teleport-kube-agent", config), release: "teleport-kube-agent")]
    })
}

/// grafana: alert notifications to Slack (`grafana_alerts.slack`) as a provisioned contact point
/// (admin_guide/operations/monitoring/grafana/alerts.txt), the token read from its Secret.
enum GrafanaHook {
    static let provisioning = "grafana-alerting"

    static let hook = ReleaseHook(pod: { _, pod, ctx in
        guard ctx.config.has(.grafanaAlertsSlack) else { return }
        pod.volumes.append(.object([("name", .string("alerting")), ("configMap", .object([("name", .string(provisioning))]))]))
        pod.containers[0].mounts.append((name: "alerting", path: "/etc/grafana/provisioning/alerting", readOnly: true))
    }, objects: { namespace, ctx in
        guard ctx.config.has(.grafanaAlertsSlack) else { return [] }
        let name = ctx.config.filled(.grafanaAlertsSlackName) ?? "slack"
        let receiver: JSONValue = .object([
            ("uid", .string("kiln-slack")), ("type", .string("slack")),
            ("settings", .fields([("recipient", ctx.config.filled(.grafanaAlertsSlackChannel).map(JSONValue.string)),
                                  ("token", .string("$SLACK_TOKEN"))])),
        ])
        let contactPoint: JSONValue = .object([("orgId", .number(1)), ("name", .string(name)), ("receivers", .array([receiver]))])
        let policy: JSONValue = .object([("orgId", .number(1)), ("receiver", .string(name))])
        let file = ManifestYAML.text(json: .object([
            ("apiVersion", .number(1)), ("contactPoints", .array([contactPoint])), ("policies", .array([policy])),
        ]))
        return [CoreObjects.configMap(provisioning, namespace: namespace, data: ["contact-points.yaml": file],
                                      labels: ctx.labels("grafana", provisioning), release: "grafana")]
    })
}

/// domino-admin-toolkit: whether reports go to the vendor (`admin_toolkit.enable_report_uploads`,
/// admin_guide/admin-toolkit.txt), as its `send_to_domino` setting.
enum AdminToolkitHook {
    static let config = "domino-admin-toolkit-config"

    static let hook = ReleaseHook(pod: { _, pod, _ in
        pod.volumes.append(.object([("name", .string("config")), ("configMap", .object([("name", .string(config))]))]))
        pod.containers[0].mounts.append((name: "config", path: "/etc/admin-toolkit", readOnly: true))
    }, objects: { namespace, ctx in
        [CoreObjects.configMap(config, namespace: namespace,
                               data: ["send_to_domino": ctx.config.bool(.adminToolkitEnableReportUploads) ? "True" : "False"],
                               labels: ctx.labels("domino-admin-toolkit", config), release: "domino-admin-toolkit")]
    })
}
