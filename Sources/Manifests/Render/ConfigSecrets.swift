import Config
import Platform

/// The config's secret values each release needs, as a Secret in its namespace, read by its pods from the
/// environment. A value is resolved (`${env:…}`, `${file:…}`) only here, when the object is rendered.
enum ConfigSecrets {
    /// release → (key in the Secret, config path).
    static let table: [String: [(key: String, path: String)]] = [
        "nucleus": [("smtp-password", "email_notifications.authentication.password"),
                    ("projects-account-key", "blob_storage.projects.azure.account_key"),
                    ("zendesk-token", "zendesk.token")],
        "domino-data-importer": [("backups-account-key", "blob_storage.backups.azure.account_key")],
        "docker-registry": [("azure-account-key", "internal_docker_registry.azure_blobs_override.account_key")],
        "grafana": [("slack-token", "grafana_alerts.slack.token")],
        "teleport-kube-agent": [("auth-token", "teleport_kube_agent.authToken")],
        "fleetcommand-reporter": [("api-token", "fleetcommand.api_token")],
        "hephaestus": [("azure-client-secret", "image_building.cloud_registry_auth.azure.client_secret")],
        "flyte": [("metadata-account-key", "flyte.metadata_storage.azure.account_key"),
                  ("data-account-key", "flyte.data_storage.azure.account_key")],
        "nri-metadata-injection": [("license-key", "monitoring.newrelic.license_key")],
        "newrelic-infrastructure": [("license-key", "monitoring.newrelic.license_key")],
        "newrelic-logging": [("license-key", "monitoring.newrelic.license_key")],
        "newrelic-events": [("license-key", "monitoring.newrelic.license_key")],
        "newrelic-open-metrics": [("license-key", "monitoring.newrelic.license_key")],
        "newrelic-prometheus-agent": [("license-key", "monitoring.newrelic.license_key")],
    ]

    static func objects(for release: Release, namespace: String, _ ctx: inout RenderContext)
        -> (objects: [ManifestObject], env: [(name: String, secret: String, key: String)]) {
        var data: [String: String] = [:]
        for (key, path) in table[release.name] ?? [] {
            guard let text = ctx.config.filled(path),
                  let value = ctx.secrets.resolve(text, at: path, into: &ctx.diagnostics) else { continue }
            data[key] = value
        }
        guard !data.isEmpty else { return ([], []) }
        let name = "\(release.name)-credentials"
        let secret = CoreObjects.secret(name, namespace: namespace, type: "Opaque", stringData: data,
                                        labels: ctx.labels.labels(release: release.name, name: name), release: release.name)
        let env = data.keys.sorted().map { (name: $0.uppercased().replacingOccurrences(of: "-", with: "_"), secret: name, key: $0) }
        return ([secret], env)
    }
}
