import Config

private typealias R = ResourceAmounts
private let installGuide = "admin_guide/architecture/index.txt"

/// The stateful services the platform keeps its data in. Databases run without limits (sizing reference).
enum DataServices {
    static let all = [mongodb, postgresql, rabbitmq, redis, elasticsearch, vault, git, dockerRegistry]

    static let mongodb = Release(
        "mongodb", .core, "MongoDB replica set: application data and metadata, config records",
        dependencies: ["istio"],
        workloads: [.database("mongodb-replicaset", image: .mirrored("bitnami.mongodb", "6.0.19"), replicas: 3,
                              requests: R("1", "2Gi"), volume: .init(.gi(100))).sizingVolume(by: .asyncDocuments).serving([("mongodb", 27017)])
                    // The Kubernetes-upgrade pages (gcp/, azure/) back up and delete these three by name; the pods keep
                    // the `mongodb-replicaset-N` names the health and disaster-recovery pages list (README: choices).
                    .budgeted(perMember: ["mongodb-primary", "mongodb-secondary", "mongodb-arbiter"])],
        reference: "admin_guide/operations/disaster-recovery.txt") { _ in .on("always installed with a control plane") }

    static let postgresql = Release(
        "postgresql", .core, "PostgreSQL (HA): Keycloak, Vault and MLflow databases",
        dependencies: ["istio"],
        workloads: [.database("postgresql", image: .mirrored("bitnami.postgresql", "16.6.0"), replicas: 3,
                              requests: R("500m", "1Gi"), volume: .init(.gi(20))).serving([("postgresql", 5432)])],
        reference: "admin_guide/operations/backup-restore/backup-and-restore-overview.txt") { _ in .on("always installed with a control plane") }

    /// Its volume grows with asynchronous endpoint load (Sizing/AsyncEndpointStorage).
    static let rabbitmq = Release(
        "rabbitmq-ha", .core, "RabbitMQ: messaging between services and with data planes (AMQP 5672, streams 5552)",
        dependencies: ["istio"],
        workloads: [.database("rabbitmq-ha-311", image: .mirrored("bitnami.rabbitmq", "3.11.28"), replicas: 3,
                              requests: R("500m", "1Gi"), volume: .init(.gi(25))).sizingVolume(by: .asyncQueues).serving([("amqp", 5672), ("stream", 5552), ("http", 15672)])],
        reference: "admin_guide/domino-infrastructure/sizing-the-infrastructure/size-async-domino-endpoint.txt") { _ in
        .on("always installed with a control plane")
    }

    static let redis = Release(
        "redis-ha", .core, "Redis: caches for the platform services",
        dependencies: ["istio"],
        workloads: [.database("redis-ha-server", image: .mirrored("bitnami.redis", "7.2.7"), replicas: 3,
                              requests: R("250m", "1536Mi"), volume: .init(.gi(10))).serving([("redis", 6379)])],
        reference: "admin_guide/troubleshooting/basic-domino-health.txt") { _ in .on("always installed with a control plane") }

    static let elasticsearch = Release(
        "elasticsearch", .core, "Elasticsearch: log and search store (a search system: no limits)",
        dependencies: ["istio"],
        workloads: [Workload("elasticsearch", .statefulSet,
                             image: .upstream("docker.elastic.co/elasticsearch/elasticsearch", "7.17.26"), replicas: 3,
                             requests: R("1", "4Gi"), limits: nil, scaling: .vertical, volume: .init(.gi(50)),
                             privileged: true).serving([("http", 9200), ("transport", 9300)])],
        reference: "admin_guide/configuration/installer-configuration.txt") { _ in .on("always installed with a control plane") }

    static let vault = Release(
        "vault", .core, "HashiCorp Vault: credentials, tokens, certificates; data-plane authentication (HTTPS 8200)",
        dependencies: ["istio"], requires: ["postgresql"],
        workloads: [Workload("vault", .statefulSet, image: .mirrored("hashicorp.vault", "1.17.6"), replicas: 3,
                             requests: R("250m", "512Mi"), limits: R("500m", "1Gi"), scaling: .horizontal).serving([("https", 8200)])],
        reference: "admin_guide/security-and-compliance/control-plane-security.txt") { _ in .on("always installed with a control plane") }

    static let git = Release(
        "git", .core, "Git server: project version history",
        dependencies: ["istio"],
        workloads: [Workload("git", .statefulSet, image: .domino("git"), requests: R("500m", "1Gi"), limits: R("1", "2Gi"),
                             scaling: .vertical, volume: .init(.gi(100))).serving([("http", 8080)])],
        reference: installGuide) { _ in .on("always installed with a control plane") }
        .reachingOut()

    static let dockerRegistry = Release(
        "docker-registry", .core, "The in-cluster registry for environment and model images",
        dependencies: ["istio"],
        workloads: [
            Workload("docker-registry", .statefulSet, image: .mirrored("distribution.registry", "2.8.3"),
                     requests: R("250m", "512Mi"), limits: R("1", "1Gi"), volume: .init(.gi(100))).sizingVolume(by: .registryBlobs).serving([("registry", 5000)]),
            .daemon("docker-registry-cert-mgr", image: .domino("docker-registry-cert-mgr"), nodes: .all,
                    requests: .zero, limits: .zero, privileged: true),
        ],
        reference: "admin_guide/configuration/installer-configuration.txt"
    ) { config in
        config.has(.internalDockerRegistry) && !config.isNull(.internalDockerRegistry)
            ? .on("internal_docker_registry is configured") : .off("internal_docker_registry is null (external registry)")
    }
        .reachingOut()
        .readingSecrets([.init("azure-account-key", "internal_docker_registry.azure_blobs_override.account_key")])
}
