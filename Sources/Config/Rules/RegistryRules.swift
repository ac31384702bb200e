import Diagnostics

/// Which registry holds environment and model images.
enum RegistryRules {
    static let all = [exactlyOneRegistry, oneInternalRegistryBackend, offlineRegistryCredentials]

    static let offlineRegistryCredentials = SemanticRule(
        "KILN-R025",
        "An offline install's `offline.image_registry` has an entry (server, username, password) in `helm.image_registries`.",
        reference: "admin_guide/installation/manage-deployments/private-offline.txt"
    ) { rule, config in
        guard let registry = config.filled(.offlineImageRegistry) else { return [] }
        let servers = config.list(.helmImageRegistries).compactMap { $0["server"]?.text }
        guard !servers.contains(registry) else { return [] }
        return [rule.error(config, "offline.image_registry",
                           "the private registry `\(registry)` has no entry in helm.image_registries",
                           help: "add `{server: \(registry), username: …, password: ${env:REGISTRY_PASSWORD}}` to helm.image_registries")]
    }

    static let exactlyOneRegistry = SemanticRule(
        "KILN-R001",
        "Exactly one of `internal_docker_registry` and `external_docker_registry` is configured on a control-plane install.",
        reference: "admin_guide/configuration/installer-configuration.txt"
    ) { rule, config in
        guard !config.isDataPlaneOnly else { return [] }
        let external = config.filled(.externalDockerRegistry) != nil
        let inCluster = config.has(.internalDockerRegistry) && !config.isNull(.internalDockerRegistry)
        if external && inCluster {
            return [rule.error(config, "internal_docker_registry",
                               "both `internal_docker_registry` and `external_docker_registry` are configured",
                               help: "keep one: set `internal_docker_registry: null` to use the external registry")]
        }
        if !external && !inCluster {
            return [rule.error(config, "external_docker_registry",
                               "no registry: configure `internal_docker_registry` or `external_docker_registry`",
                               help: "`internal_docker_registry: {}` deploys the registry in the cluster")]
        }
        return []
    }

    static let oneInternalRegistryBackend = SemanticRule(
        "KILN-R002",
        "The internal registry has at most one storage override (S3, GCS or Azure blobs).",
        reference: "admin_guide/configuration/installer-configuration.txt"
    ) { rule, config in
        let overrides = ["s3_override", "gcs_override", "azure_blobs_override"].filter { key in
            (config.instance("internal_docker_registry.\(key)")?.members ?? []).contains { m in
                m.value.text.map { !$0.isEmpty } ?? false
            }
        }
        guard overrides.count > 1 else { return [] }
        return [rule.error(
            config, "internal_docker_registry.\(overrides[1])",
            "the internal registry has more than one storage backend: \(overrides.map { "`\($0)`" }.joined(separator: ", "))",
            help: "fill in only the override for the blob store the registry uses")]
    }
}
