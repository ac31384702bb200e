import Config

private typealias R = ResourceAmounts
private let monitoring = "admin_guide/operations/monitoring/index.txt"

/// Metrics, dashboards and logs.
enum Observability {
    static let all = [prometheus, nodeExporter, kubeStateMetrics, grafana, fluentd, otelCollector]

    /// A time-series database: requests, no limits.
    static let prometheus = Release(
        "prometheus", .core, "Prometheus (prometheus-server): metrics for dashboards, alerts and Cost Center",
        workloads: [.database("prometheus-server", image: .mirrored("prometheus.prometheus", "v2.55.1"), replicas: 1,
                              requests: R("500m", "2Gi"), volume: .init(.gi(50))).serving([("http", 9090)])],
        reference: monitoring) { config in .key("monitoring.prometheus_metrics", config) }
        .accessing([.readWorkloads, APIRule([""], ["nodes/metrics", "nodes/proxy"], ["get"])])

    static let nodeExporter = Release(
        "prometheus-node-exporter", .core, "Node exporter: hardware and OS metrics from every node",
        planes: .all, dependencies: ["prometheus"],
        workloads: [.daemon("prometheus-node-exporter", image: .mirrored("prometheus.node-exporter", "v1.8.2"), nodes: .all,
                            requests: .zero, limits: .zero).serving([("metrics", 9100)])],
        reference: monitoring) { config in .key("monitoring.node_exporter", config) }

    static let kubeStateMetrics = Release(
        "kube-state-metrics", .core, "kube-state-metrics: cluster-level metrics",
        dependencies: ["prometheus"],
        workloads: [.controller("kube-state-metrics", image: .mirrored("kube-state-metrics.kube-state-metrics", "v2.14.0"),
                                requests: R("100m", "256Mi"), limits: R("500m", "512Mi")).serving([("metrics", 8080)])],
        reference: monitoring) { config in .key("monitoring.kube_state_metrics", config) }
        .accessing([.readWorkloads])

    static let grafana = Release(
        "grafana", .core, "Grafana dashboards and alerts at /grafana (volume grafana-grafana-0)",
        dependencies: ["prometheus"],
        workloads: [Workload("grafana", .statefulSet, image: .mirrored("grafana.grafana", "11.3.1"), requests: R("250m", "512Mi"),
                             // The claim the docs name `grafana-grafana-0` (access_grafana.txt).
                             limits: R("500m", "1Gi"), volume: .init(.gi(10), claim: "grafana")).serving([("http", 3000)]).routed(at: "/grafana")],
        reference: "admin_guide/operations/monitoring/grafana/access_grafana.txt") { _ in .on("always installed with a control plane") }
        .readingSecrets([.init("slack-token", "grafana_alerts.slack.token")])
        // The fallback login when SSO is down: user `grafana`, password `admin-password` of Secret `grafana`
        // (monitoring/grafana/access_grafana.txt).
        .generatingSecret(.init("grafana", keys: ["admin-password": "GF_SECURITY_ADMIN_PASSWORD"],
                                fixedEnv: ["GF_SECURITY_ADMIN_USER": "grafana"]))

    /// Requests and limits as observed on a node (aws-accelerators page).
    static let fluentd = Release(
        "fluentd", .core, "Fluentd: collects component and execution logs and forwards them",
        planes: .all,
        workloads: [.daemon("fluentd", image: .mirrored("fluent.fluentd", "v1.17.1"), nodes: .all, requests: R("200m", "600Mi"),
                            limits: R("1", "2Gi"))],
        reference: "user_guide/customize-environments/use-external-images/aws-accelerators.txt") { _ in .on("always installed") }

    static let otelCollector = Release(
        "opentelemetry-collector", .core, "OpenTelemetry collector: receives remote data planes' metrics for Prometheus",
        dependencies: ["prometheus"],
        workloads: [.controller("opentelemetry-collector", image: .mirrored("otel.opentelemetry-collector-contrib", "0.115.1"),
                                requests: R("100m", "256Mi"), limits: R("500m", "512Mi")).serving([("otlp", 4317)])],
        reference: "admin_guide/operations/monitoring/remote-data-plane-monitoring.txt") { _ in .on("always installed with a control plane") }
        .reachingOut()
}
