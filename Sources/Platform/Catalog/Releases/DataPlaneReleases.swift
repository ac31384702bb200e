import Config

private typealias R = ResourceAmounts

/// What a remote data plane (Nexus) runs: the `data-plane` release in the data plane's namespace.
enum DataPlaneReleases {
    static let all = [dataPlane]

    static let dataPlane = Release(
        "data-plane", .core, "Remote data plane: agent, auth proxy for workspaces, OpenTelemetry collector",
        namespace: .compute, planes: .remoteDataPlane, dependencies: ["istio", "cert-manager"],
        workloads: [
            .controller("data-plane-agent", image: .domino("data-plane-agent"), requests: R("1", "1Gi"), limits: R("2", "2Gi")).serving([("http", 8080)]),
            .service("auth-proxy", image: .domino("auth-proxy"), replicas: 2, requests: R("100m", "128Mi"), limits: R("500m", "256Mi")).serving([("http", 8080)]),
            .controller("otel-collector", image: .mirrored("otel.opentelemetry-collector-contrib", "0.115.1"),
                        requests: R("100m", "256Mi"), limits: R("500m", "512Mi")).serving([("otlp", 4317)]),
        ],
        reference: "admin_guide/platform-management/manage-data-planes/enable-data-plane.txt"
    ) { _ in .on("always installed with a remote data plane") }
        .accessing([APIRule(["", "batch", "apps"], ["pods", "pods/log", "services", "persistentvolumeclaims", "configmaps", "secrets", "jobs"], ["get", "list", "watch", "create", "update", "patch", "delete"])])
}
