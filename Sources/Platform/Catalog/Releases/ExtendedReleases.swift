import Config

private typealias R = ResourceAmounts
private let catalogPage = "admin_guide/configuration/core-catalog.txt"

/// The extended catalog (needs `extended_catalog: true`): New Relic, Starburst, Falco, the SMB CSI driver, DCGM.
enum ExtendedReleases {
    static let all = newRelic + [starburst, falco, smbDriver, dcgmExporter]

    /// New Relic: metadata injection for APM; the infrastructure agents with `infrastructure`.
    static let newRelic: [Release] = [
        Release("nri-metadata-injection", .extended, "New Relic metadata injection (APM)", planes: .all,
                workloads: [.controller("nri-metadata-injection", image: .mirrored("newrelic.k8s-metadata-injection", "1.31.1"),
                                        requests: R("50m", "64Mi"), limits: R("200m", "128Mi"))],
                reference: catalogPage) { config in
            config.bool(.monitoringNewrelicApm) ? .on("monitoring.newrelic.apm: true", key: "monitoring.newrelic.apm")
                : config.bool(.monitoringNewrelicInfrastructure)
                ? .on("monitoring.newrelic.infrastructure: true", key: "monitoring.newrelic.infrastructure")
                : .off("monitoring.newrelic.apm and .infrastructure: false")
        }
        .reachingOut()
        .readingSecrets([.init("license-key", "monitoring.newrelic.license_key")]),
        Release("newrelic-events", .extended, "New Relic Kubernetes events", planes: .all,
                workloads: [.controller("newrelic-events", image: .mirrored("newrelic.nri-kube-events", "2.11.6"),
                                        requests: R("50m", "64Mi"), limits: R("200m", "256Mi"))],
                reference: catalogPage) { config in .key("monitoring.newrelic.infrastructure", config) }
        .accessing([APIRule([""], ["events"], ["get", "list", "watch"])])
        .readingSecrets([.init("license-key", "monitoring.newrelic.license_key")]),
        Release("newrelic-infrastructure", .extended, "New Relic infrastructure agent", planes: .all,
                workloads: [.daemon("newrelic-infrastructure", image: .mirrored("newrelic.infrastructure-bundle", "3.2.60"), nodes: .all,
                                    requests: R("100m", "150Mi"), limits: R("200m", "300Mi"), privileged: true)],
                reference: catalogPage) { config in .key("monitoring.newrelic.infrastructure", config) }
        .accessing([.readWorkloads])
        .readingSecrets([.init("license-key", "monitoring.newrelic.license_key")]),
        Release("newrelic-logging", .extended, "New Relic log forwarder", planes: .all,
                workloads: [.daemon("newrelic-logging", image: .mirrored("newrelic.newrelic-fluentbit-output", "2.1.0"), nodes: .all,
                                    requests: R("100m", "64Mi"), limits: R("500m", "128Mi"))],
                reference: catalogPage) { config in .key("monitoring.newrelic.infrastructure", config) }
        .reachingOut()
        .readingSecrets([.init("license-key", "monitoring.newrelic.license_key")]),
        Release("newrelic-open-metrics", .extended, "New Relic open metrics", planes: .all,
                workloads: [.controller("newrelic-open-metrics", image: .mirrored("newrelic.nri-prometheus", "2.21.5"),
                                        requests: R("100m", "256Mi"), limits: R("500m", "512Mi"))],
                reference: catalogPage) { config in .key("monitoring.newrelic.infrastructure", config) }
        .reachingOut()
        .readingSecrets([.init("license-key", "monitoring.newrelic.license_key")]),
        Release("newrelic-prometheus-agent", .extended, "New Relic Prometheus agent", planes: .all,
                workloads: [Workload("newrelic-prometheus-agent", .statefulSet, image: .mirrored("newrelic.newrelic-prometheus", "1.2.0"),
                                     requests: R("100m", "256Mi"), limits: R("500m", "1Gi"))],
                reference: catalogPage) { config in .key("monitoring.newrelic.infrastructure", config) }
        .reachingOut()
        .readingSecrets([.init("license-key", "monitoring.newrelic.license_key")]),
    ]

    /// Local data plane only (not available on remote data planes).
    static let starburst = Release(
        "starburst-enterprise", .extended, "Starburst-powered data sources",
        workloads: [
            .controller("starburst-coordinator", image: .mirrored("starburstdata.starburst-enterprise", "453-e.4"),
                        requests: R("2", "8Gi"), limits: R("4", "16Gi")).serving([("http", 8080)]),
            .service("starburst-worker", image: .mirrored("starburstdata.starburst-enterprise", "453-e.4"), replicas: 2,
                     requests: R("2", "8Gi"), limits: R("4", "16Gi")),
        ],
        reference: "admin_guide/platform-management/manage-data/external-data/data-sources/index.txt"
    ) { _ in .off("only through release_overrides.starburst-enterprise.installed") }
        .reachingOut()

    static let falco = Release(
        "falco", .extended, "Falco runtime security", planes: .all,
        workloads: [.daemon("falco", image: .mirrored("falcosecurity.falco", "0.39.2"), nodes: .all, requests: R("100m", "512Mi"),
                            limits: R("1", "1Gi"), privileged: true)],
        reference: catalogPage) { _ in .off("only through release_overrides.falco.installed") }

    static let smbDriver = Release(
        "csi-driver-smb", .extended, "SMB CSI driver for external data volumes", planes: .all,
        workloads: [
            .controller("csi-smb-controller", image: .mirrored("sig-storage.smbplugin", "v1.16.0"), requests: R("10m", "20Mi"),
                        limits: R("200m", "200Mi")),
            .daemon("csi-smb-node", image: .mirrored("sig-storage.smbplugin", "v1.16.0"), nodes: .all, requests: R("10m", "20Mi"),
                    limits: R("200m", "200Mi"), privileged: true),
        ],
        reference: "admin_guide/platform-management/manage-data/external-data/external-data-volumes/set-up-kubernetes.txt"
    ) { _ in .off("disabled by default; release_overrides.csi-driver-smb.installed enables it") }
        .accessing([APIRule(["", "storage.k8s.io"], ["persistentvolumes", "persistentvolumeclaims", "nodes"], ["get", "list", "watch", "create", "update", "patch", "delete"])])

    /// GPU metrics come from NVIDIA DCGM through Prometheus.
    static let dcgmExporter = Release(
        "dcgm-exporter", .extended, "NVIDIA DCGM exporter: GPU metrics", planes: .all, dependencies: ["prometheus"],
        workloads: [.daemon("dcgm-exporter", image: .mirrored("nvidia.dcgm-exporter", "3.3.9-3.6.1-ubuntu22.04"), nodes: .gpu,
                            requests: R("100m", "128Mi"), limits: R("500m", "512Mi"), privileged: true)],
        reference: "admin_guide/configuration/feature-flags.txt") { config in .key("monitoring.gpu_metrics", config) }
}

/// Releases that are gone: where one is still installed it must be removed.
enum DeprecatedReleases {
    static let all = [backend]

    static let backend = Release(
        "backend", .core, "Deprecated service", workloads: [], deprecated: true,
        reference: "admin_guide/configuration/core-catalog.txt") { _ in .off("deprecated") }
}
