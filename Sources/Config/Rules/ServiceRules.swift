import Diagnostics

/// Autoscaler, telemetry, New Relic, email, support and Flows.
enum ServiceRules {
    static let all = [autoDiscoveryGroups, autoscalerProvider, groupBounds, mixpanelToken,
                      newRelicLicense, emailServer, zendeskToken, flowsCloud]

    static let autoDiscoveryGroups = SemanticRule(
        "KILN-R016",
        "With autoscaler auto-discovery (a `cluster_name` or `tags`), `autoscaler.groups` is `[]`; non-empty `tags` make `cluster_name` ignored.",
        reference: "admin_guide/configuration/installer-configuration.txt"
    ) { rule, config in
        let tags = config.list(.autoscalerAutoDiscoveryTags)
        let cluster = config.filled(.autoscalerAutoDiscoveryClusterName)
        var out: [Diagnostic] = []
        if cluster != nil || !tags.isEmpty, !config.list(.autoscalerGroups).isEmpty {
            out.append(rule.error(
                config, "autoscaler.groups", "autoscaler.groups must be `[]` when auto-discovery is used",
                help: "empty `autoscaler.auto_discovery.cluster_name` (and `tags`) to list groups instead"))
        }
        if cluster != nil, !tags.isEmpty {
            out.append(rule.warning(
                config, "autoscaler.auto_discovery.cluster_name", "auto_discovery.cluster_name is ignored because `tags` is set"))
        }
        return out
    }

    static let autoscalerProvider = SemanticRule(
        "KILN-R017",
        "The autoscaler's cloud has its settings: `aws.region` for AWS; `azure.resource_group` and `azure.subscription_id` for Azure.",
        reference: "admin_guide/configuration/installer-configuration.txt"
    ) { rule, config in
        let needed: [String]
        switch config.string(.autoscalerCloudProvider) {
        case "aws": needed = ["aws.region"]
        case "azure": needed = ["azure.resource_group", "azure.subscription_id"]
        default: needed = []
        }
        return needed.filter { config.filled("autoscaler.\($0)") == nil }.map {
            rule.error(config, "autoscaler.\($0)", "autoscaler.\($0) is needed for the `\(config.string(.autoscalerCloudProvider) ?? "")` autoscaler")
        }
    }

    static let groupBounds = SemanticRule(
        "KILN-R018",
        "Each autoscaling group's `min_size` is not greater than its `max_size`.",
        reference: "admin_guide/configuration/installer-configuration.txt"
    ) { rule, config in
        config.list(.autoscalerGroups).enumerated().compactMap { i, group in
            guard let min = group["min_size"]?.text.flatMap(Int.init), let max = group["max_size"]?.text.flatMap(Int.init),
                  min > max else { return nil }
            return .error(rule.id, "autoscaler.groups[\(i)]: min_size (\(min)) is greater than max_size (\(max))",
                          at: group["min_size"]?.location, path: "autoscaler.groups[\(i)].min_size")
        }
    }

    static let mixpanelToken = SemanticRule(
        "KILN-R019",
        "`mixpanel.token` is no longer used and may cause upgrade issues: remove it.",
        reference: "release_notes/6-1-0.txt"
    ) { rule, config in
        guard config.has(.mixpanelToken) else { return [] }
        return [rule.warning(config, "mixpanel.token", "mixpanel.token is deprecated",
                                      help: "remove `mixpanel.token`; it is no longer required and may cause upgrade issues")]
    }

    static let newRelicLicense = SemanticRule(
        "KILN-R021",
        "New Relic APM or infrastructure needs `monitoring.newrelic.license_key`.",
        reference: "admin_guide/configuration/installer-configuration.txt"
    ) { rule, config in
        guard config.bool(.monitoringNewrelicApm) || config.bool(.monitoringNewrelicInfrastructure),
              config.filled(.monitoringNewrelicLicenseKey) == nil else { return [] }
        return [rule.error(config, "monitoring.newrelic.license_key", "New Relic is enabled but monitoring.newrelic.license_key is empty",
                                      help: "the license key is provided with the New Relic account; `${env:NEW_RELIC_LICENSE_KEY}` keeps it out of the file")]
    }

    static let emailServer = SemanticRule(
        "KILN-R022",
        "Enabled email notifications need `email_notifications.server` and `email_notifications.from_address`.",
        reference: "admin_guide/configuration/installer-configuration.txt"
    ) { rule, config in
        guard config.bool(.emailNotificationsEnabled) else { return [] }
        return ["server", "from_address"].filter { config.filled("email_notifications.\($0)") == nil }.map {
            rule.error(config, "email_notifications.\($0)", "email_notifications.\($0) is needed when email notifications are enabled")
        }
    }

    static let zendeskToken = SemanticRule(
        "KILN-R023",
        "Enabled Zendesk needs `zendesk.token`.",
        reference: "admin_guide/configuration/installer-configuration.txt"
    ) { rule, config in
        guard config.bool(.zendeskEnabled), config.filled(.zendeskToken) == nil else { return [] }
        return [rule.error(config, "zendesk.token", "zendesk.token is needed when Zendesk is enabled")]
    }

    static let flowsCloud = SemanticRule(
        "KILN-R024",
        "Flows (flyte) runs on AWS or Azure only, with storage and identity of the same cloud (S3 with `cluster_config.eks`, Azure with `cluster_config.aks`).",
        reference: "release_notes/6-1-0.txt"
    ) { rule, config in
        guard config.has(.flyte) else { return [] }
        func filled(_ path: String) -> Bool {
            (config.instance(path)?.members ?? []).contains { !($0.value.text ?? "").isEmpty }
        }
        let s3 = filled("flyte.metadata_storage.s3") || filled("flyte.data_storage.s3")
        let azure = filled("flyte.metadata_storage.azure") || filled("flyte.data_storage.azure")
        let eks = filled("flyte.cluster_config.eks"), aks = filled("flyte.cluster_config.aks")
        if (s3 || eks) && (azure || aks) {
            return [rule.error(config, "flyte", "flyte mixes AWS and Azure settings",
                                     help: "Flows uses one cloud: S3 buckets with `cluster_config.eks`, or Azure containers with `cluster_config.aks`")]
        }
        return []
    }
}
