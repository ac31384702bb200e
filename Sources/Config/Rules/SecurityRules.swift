import Diagnostics

/// FIPS, Teleport, TLS.
enum SecurityRules {
    static let all = [fipsNeedsIstio, fipsEndpointsOnAWS, teleportFields, redirectNeedsTLS]

    static let fipsNeedsIstio = SemanticRule(
        "KILN-R012",
        "`fips: true` needs a FIPS Istio: `istio.install: true` and `istio.enabled: true` (or your own FIPS-compliant Istio, enabled).",
        reference: "admin_guide/configuration/installer-configuration.txt"
    ) { rule, config in
        guard config.bool(.fips) else { return [] }
        if !config.bool(.istioEnabled) {
            return [rule.error(config, config.has(.istioEnabled) ? "istio.enabled" : "fips", "`fips: true` needs Istio: set `istio.enabled: true`",
                                         notes: ["FIPS 140-2 compliance needs a FIPS-enabled Istio for encryption in transit"],
                                         help: "set `istio.install: true` and `istio.enabled: true`")]
        }
        if !config.bool(.istioInstall) {
            return [rule.warning(config, "istio.install", "`fips: true` with an Istio you provide: it must be FIPS-compliant",
                                           help: "set `istio.install: true` to install a FIPS Istio with the platform")]
        }
        return []
    }

    static let fipsEndpointsOnAWS = SemanticRule(
        "KILN-R013",
        "`fips: true` on AWS (EBS/EFS storage or the AWS autoscaler) sets `AWS_USE_FIPS_ENDPOINT=true` in `global_pod_environment`.",
        reference: "admin_guide/configuration/installer-configuration.txt"
    ) { rule, config in
        let onAWS = config.string(.storageClassesBlockType) == "ebs" || config.string(.storageClassesSharedType) == "efs"
            || config.string(.autoscalerCloudProvider) == "aws"
        guard config.bool(.fips), onAWS else { return [] }
        let set = config.list(.globalPodEnvironment).contains {
            $0["name"]?.text == "AWS_USE_FIPS_ENDPOINT" && $0["value"]?.text == "true"
        }
        guard !set else { return [] }
        return [rule.warning(config, "global_pod_environment", "FIPS on AWS: pods should use AWS's FIPS endpoints",
                                           help: "add `{name: AWS_USE_FIPS_ENDPOINT, value: \"true\"}` to `global_pod_environment`")]
    }

    static let teleportFields = SemanticRule(
        "KILN-R014",
        "When the `teleport_kube_agent` section is present, `proxyAddr` and `authToken` are not empty.",
        reference: "admin_guide/configuration/installer-configuration.txt"
    ) { rule, config in
        guard config.has(.teleportKubeAgent), !config.isNull(.teleportKubeAgent) else { return [] }
        return ["proxyAddr", "authToken"].filter {
            config.has("teleport_kube_agent.\($0)") && config.filled("teleport_kube_agent.\($0)") == nil
        }.map {
            rule.error(config, "teleport_kube_agent.\($0)", "teleport_kube_agent.\($0) must not be empty",
                                 help: "remove the `teleport_kube_agent` section to install no Teleport agent")
        }
    }

    static let redirectNeedsTLS = SemanticRule(
        "KILN-R015",
        "`ssl_redirect: true` needs `ssl_enabled: true` (a redirect to HTTPS needs HTTPS).",
        reference: "admin_guide/configuration/installer-configuration.txt"
    ) { rule, config in
        guard config.bool(.sslRedirect), !config.bool(.sslEnabled) else { return [] }
        return [rule.error(config, "ssl_redirect", "`ssl_redirect: true` redirects to HTTPS, but `ssl_enabled` is false",
                                       help: "set `ssl_enabled: true`, or `ssl_redirect: false`")]
    }
}
