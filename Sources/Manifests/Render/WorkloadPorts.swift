/// The ports each workload serves, by workload name: what its Service exposes and its probes check. Workloads not
/// listed serve nothing (controllers, agents, jobs).
enum WorkloadPorts {
    static let table: [String: [(name: String, port: Int)]] = [
        "mongodb-replicaset": [("mongodb", 27017)],
        "postgresql": [("postgresql", 5432)],
        "rabbitmq-ha-311": [("amqp", 5672), ("stream", 5552), ("http", 15672)],
        "redis-ha-server": [("redis", 6379)],
        "dmm-redis-ha-server": [("redis", 6379)],
        "elasticsearch": [("http", 9200), ("transport", 9300)],
        "vault": [("https", 8200)],
        "git": [("http", 8080)],
        "docker-registry": [("registry", 5000)],
        "keycloak": [("http", 8080)],
        "nucleus-frontend": [("http", 8080)],
        "nucleus-dispatcher": [("http", 8080)],
        "nucleus-train": [("http", 8080)],
        "mlflow": [("http", 5000)],
        "datasource-proxy": [("http", 8080)],
        "dmm-frontend": [("http", 8080)],
        "dmm-plier": [("http", 8080)],
        "kuberhealthy": [("http", 8080)],
        "cost-analyzer": [("http", 9090)],
        "flyteadmin": [("http", 8088), ("grpc", 8089)],
        "prometheus-server": [("http", 9090)],
        "grafana": [("http", 3000)],
        "kube-state-metrics": [("metrics", 8080)],
        "opentelemetry-collector": [("otlp", 4317)],
        "otel-collector": [("otlp", 4317)],
        "nginx-ingress-controller": [("http", 80), ("https", 443)],
        "istiod": [("grpc-xds", 15010), ("https-dns", 15012), ("https-webhook", 15017)],
        "image-cache-api": [("http", 5000)],
        "cert-manager-webhook": [("https", 10250)],
        "data-plane-agent": [("http", 8080)],
        "auth-proxy": [("http", 8080)],
        "hephaestus-manager": [("http", 8080)],
        "hephaestus-buildkit": [("buildkit", 1234)],
        "domino-admin-toolkit": [("http", 8080)],
        "starburst-coordinator": [("http", 8080)],
    ]

    static func ports(_ workload: String) -> [(name: String, port: Int)] { table[workload] ?? [] }
}
