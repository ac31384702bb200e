import Config

private typealias R = ResourceAmounts

/// The platform's own services.
enum PlatformServices {
    static let all = [nucleus, keycloak, mlflow, datasourceProxy, modelMonitor, dataImporter, adminToolkit, kuberhealthy,
                      fleetcommandReporter, costAnalyzer, flyte, customCertManager]

    static let nucleus = Release(
        "nucleus", .core, "The API server (nucleus-frontend), the execution dispatcher and their jobs",
        dependencies: ["istio", "redis-ha", "docker-registry", "elasticsearch"],
        requires: ["mongodb", "rabbitmq-ha", "keycloak", "vault", "git"],
        workloads: [
            .service("nucleus-frontend", image: .domino("nucleus"), replicas: 2, requests: R("2", "8Gi"), limits: R("4", "10Gi"))
                .serving([("http", 8080)]).routed(at: "/").autoscaled(),
            Workload("nucleus-dispatcher", .deployment, image: .domino("nucleus"), requests: R("1", "6Gi"),
                     limits: R("2", "8Gi"), scaling: .vertical).serving([("http", 8080)]),
            Workload("nucleus-train", .deployment, image: .domino("nucleus"), requests: R("500m", "2Gi"),
                     limits: R("1", "3Gi"), scaling: .vertical).serving([("http", 8080)]),
        ],
        reference: "admin_guide/operations/monitoring/metrics.txt"
    ) { _ in .on("always installed with a control plane") }
        .accessing([APIRule(["", "batch", "apps"], ["pods", "pods/log", "services", "persistentvolumeclaims", "configmaps", "secrets", "jobs", "deployments"], ["get", "list", "watch", "create", "update", "patch", "delete"]), APIRule([""], ["nodes", "events"], ["get", "list", "watch"])])
        .readingSecrets([.init("smtp-password", "email_notifications.authentication.password"), .init("projects-account-key", "blob_storage.projects.azure.account_key"), .init("zendesk-token", "zendesk.token")])

    /// Keycloak 26.1.4 in 6.1.0 has a multi-replica authentication bug: Sizing keeps it at one replica there.
    static let keycloak = Release(
        "keycloak", .core, "Keycloak: authentication, user store, LDAP/AD federation, SSO brokering (at /auth/)",
        dependencies: ["istio"], requires: ["postgresql"],
        workloads: [Workload("keycloak", .statefulSet,
                             image: .mirrored("keycloak.keycloak", perVersion: ["6.1.0": "26.1.4", "6.1.1": "26.2.5", "6.1.2": "26.2.5"]),
                             replicas: 2, requests: R("500m", "1Gi"), limits: R("1", "2Gi"), scaling: .horizontal,
                             // Apps and runbooks call it `keycloak-http` (user_guide/apps/app-security.txt).
                             serviceName: "keycloak-http").serving([("http", 8080)]).routed(at: "/auth")],
        reference: "release_notes/6-1-0.txt") { _ in .on("always installed with a control plane") }
        .reachingOut()
        // The admin signs in to /auth/ as `keycloak` with the password in `keycloak-http` (authentication/keycloak-set-up.txt);
        // Keycloak 26 reads its first admin from KC_BOOTSTRAP_ADMIN_*.
        .generatingSecret(.init("keycloak-http", keys: ["password": "KC_BOOTSTRAP_ADMIN_PASSWORD"],
                                fixedEnv: ["KC_BOOTSTRAP_ADMIN_USERNAME": "keycloak"]))

    static let mlflow = Release(
        "mlflow", .core, "Experiment manager (MLflow) and the AI Gateway's mlflow-deployments",
        dependencies: ["istio"], requires: ["postgresql"],
        workloads: [.service("mlflow", image: .domino("mlflow"), replicas: 1, requests: R("250m", "512Mi"), limits: R("1", "1Gi")).serving([("http", 5000)])],
        reference: "admin_guide/platform-management/ai-gateway.txt") { _ in .on("always installed with a control plane") }
        .reachingOut()

    static let datasourceProxy = Release(
        "datasource-proxy", .core, "Data source connectivity",
        dependencies: ["istio", "nucleus"],
        workloads: [.service("datasource-proxy", image: .domino("datasource-proxy"), replicas: 2,
                             requests: R("250m", "512Mi"), limits: R("500m", "1Gi")).serving([("http", 8080)])],
        reference: "admin_guide/troubleshooting/data-sources-issues.txt") { _ in .on("always installed with a control plane") }

    static let modelMonitor = Release(
        "model-monitor", .core, "Model monitoring (DMM): frontend, plier, scheduler and its Redis",
        dependencies: ["istio"], requires: ["nucleus"],
        workloads: [
            .service("dmm-frontend", image: .domino("dmm"), replicas: 1, requests: R("250m", "512Mi"), limits: R("500m", "1Gi")).serving([("http", 8080)]),
            .service("dmm-plier", image: .domino("dmm"), replicas: 2, requests: R("250m", "512Mi"), limits: R("1", "2Gi")).serving([("http", 8080)]),
            .controller("dmm-scheduler", image: .domino("dmm"), requests: R("100m", "256Mi"), limits: R("500m", "512Mi")),
            .database("dmm-redis-ha-server", image: .mirrored("bitnami.redis", "7.2.7"), replicas: 1,
                      requests: R("100m", "256Mi"), volume: .init(.gi(10))).serving([("redis", 6379)]),
        ],
        reference: "admin_guide/troubleshooting/dmm-issues.txt") { _ in .on("always installed with a control plane") }

    static let dataImporter = Release(
        "domino-data-importer", .core, "Backups (CronJob domino-workbench-backup, @daily) and restores",
        dependencies: ["mongodb", "postgresql", "git"],
        workloads: [
            Workload("domino-data-importer", .statefulSet, image: .domino("importer"), replicas: 0,
                     requests: R("500m", "1Gi"), limits: R("2", "4Gi")),
            Workload("domino-workbench-backup", .cronJob, image: .domino("importer"), requests: R("500m", "1Gi"),
                     limits: R("2", "4Gi")),
        ],
        reference: "admin_guide/operations/backup-restore/customize-backups.txt"
    ) { _ in .on("always installed with a control plane") }
        .reachingOut()
        .readingSecrets([.init("backups-account-key", "blob_storage.backups.azure.account_key")])

    static let adminToolkit = Release(
        "domino-admin-toolkit", .core, "Health scanner at /toolkit/",
        dependencies: ["nucleus"],
        workloads: [.controller("domino-admin-toolkit", image: .domino("admin-toolkit"), requests: R("100m", "256Mi"),
                                limits: R("500m", "512Mi")).serving([("http", 8080)]).routed(at: "/toolkit")],
        reference: "admin_guide/admin-toolkit.txt") { _ in .on("always installed with a control plane") }
        .accessing([.readWorkloads])
        // The web UI's login: user `admin-toolkit`, password `webui-password` of `domino-admin-toolkit-http` (admin-toolkit.txt).
        .generatingSecret(.init("domino-admin-toolkit-http", keys: ["webui-password": "WEBUI_PASSWORD"],
                                fixedEnv: ["WEBUI_USERNAME": "admin-toolkit"]))

    static let kuberhealthy = Release(
        "kuberhealthy", .core, "Liveness checks of the platform's endpoints",
        dependencies: ["nucleus"],
        workloads: [.service("kuberhealthy", image: .mirrored("kuberhealthy.kuberhealthy", "2.7.1"), replicas: 2,
                             requests: R("50m", "64Mi"), limits: R("200m", "256Mi")).serving([("http", 8080)])],
        reference: "admin_guide/troubleshooting/basic-domino-health.txt") { _ in .on("always installed with a control plane") }
        .accessing([.readWorkloads])

    static let fleetcommandReporter = Release(
        "fleetcommand-reporter", .core, "Deployment telemetry and vendor patches",
        workloads: [.controller("fleetcommand-reporter", image: .domino("fleetcommand-reporter"), requests: R("100m", "128Mi"),
                                limits: R("250m", "256Mi"))],
        reference: "admin_guide/configuration/deployment-telemetry.txt") { config in .key("fleetcommand.enabled", config) }
        .accessing([.readWorkloads])
        .reachingOut()
        .readingSecrets([.init("api-token", "fleetcommand.api_token")])

    static let costAnalyzer = Release(
        "cost-analyzer", .core, "Cost Center (Kubecost): cost analytics",
        dependencies: ["prometheus"],
        workloads: [.controller("cost-analyzer", image: .mirrored("kubecost.cost-model", "2.4.3"), requests: R("200m", "512Mi"),
                                limits: R("1", "2Gi")).serving([("http", 9090)])],
        reference: "admin_guide/operations/finops/2-configuration-options-cost-center.txt"
    ) { _ in .on("always installed with a control plane") }
        .accessing([.readWorkloads])
        .reachingOut()

    static let flyte = Release(
        "flyte", .core, "Domino Flows (Flyte): orchestration of multi-step workflows",
        dependencies: ["nucleus"],
        workloads: [
            .service("flyteadmin", image: .mirrored("flyteorg.flyteadmin", "1.13.3"), replicas: 1, requests: R("250m", "512Mi"),
                     limits: R("1", "1Gi")).serving([("http", 8088), ("grpc", 8089)]),
            .controller("flytepropeller", image: .mirrored("flyteorg.flytepropeller", "1.13.3"), requests: R("250m", "512Mi"),
                        limits: R("1", "1Gi")),
        ],
        reference: "admin_guide/configuration/installer-configuration.txt"
    ) { config in config.has(.flyte) ? .on("flyte is configured") : .off("no flyte section") }
        .accessing([APIRule(["", "batch"], ["pods", "jobs", "configmaps", "secrets"], ["get", "list", "watch", "create", "update", "delete"])])
        .reachingOut()
        .readingSecrets([.init("metadata-account-key", "flyte.metadata_storage.azure.account_key"), .init("data-account-key", "flyte.data_storage.azure.account_key")])

    static let customCertManager = Release(
        "custom-cert-manager", .core, "Keeps the domino-custom-certificates ConfigMap from custom_certificates",
        dependencies: ["cert-manager"],
        workloads: [.controller("custom-cert-manager", image: .domino("custom-cert-manager"), requests: R("50m", "64Mi"),
                                limits: R("100m", "128Mi"))],
        reference: "admin_guide/configuration/core-catalog.txt") { _ in .on("always installed with a control plane") }
}
