import Config
import Platform
import Schema

/// hephaestus, the environment image builder: its controller's `config.yaml` and BuildKit's `buildkitd.toml` from
/// `image_building.*`, and the cloud identity it pushes to ACR or Artifact Registry with.
///
/// The keys follow the installer-configuration page (`image_building`); the file layouts follow the builder's
/// published chart (manager `config.yaml`, BuildKit `buildkitd.toml`), which the product docs do not print.
enum ImageBuilderHook {
    static let release = "hephaestus"
    static let managerConfig = "hephaestus-config"
    static let buildkitConfig = "hephaestus-buildkit-config"

    static let hook = ReleaseHook(pod: pod, serviceAccount: serviceAccount, objects: objects)

    static func managerFile(_ c: ConfigView) -> String {
        var buildkit: [(String, JSONValue)] = []
        for (key, path) in [("poolSyncWaitTime", "pool_sync_wait_time"), ("poolMaxIdleTime", "pool_max_idle_time"),
                            ("fetchAndExtractTimeout", "fetch_and_extract_timeout")] {
            if let v = c.filled("image_building.\(path)") { buildkit.append((key, .string(v))) }
        }
        if let v = c.number(.imageBuildingPoolEndpointWatchTimeout) { buildkit.append(("poolEndpointWatchTimeout", .number(v))) }
        buildkit.append(("registries", registries(c)))
        // Where built environment and model images are pushed: the external registry, else the internal one.
        var imageBuild: [(String, JSONValue)] = [("registry", .string(c.filled(.externalDockerRegistry) ?? RegistryHook.inClusterAddress))]
        if let n = c.number(.imageBuildingConcurrency) { imageBuild.append(("concurrency", .number(n))) }
        var cloud: [(String, JSONValue)] = []
        if let tenant = c.filled(.imageBuildingCloudRegistryAuthAzureTenantId) {
            cloud.append(("azure", .fields([
                ("tenantID", .string(tenant)),
                ("clientID", c.filled(.imageBuildingCloudRegistryAuthAzureClientId).map(JSONValue.string)),
                ("workloadIdentity", .bool(c.bool(.imageBuildingCloudRegistryAuthAzureWorkloadIdentity))),
            ])))
        }
        if let account = c.filled(.imageBuildingCloudRegistryAuthGcpServiceAccount) {
            cloud.append(("gcp", .object([("serviceAccount", .string(account))])))
        }
        let manager: [(String, JSONValue)] = [
            ("logging", .object([("level", .string(c.bool(.imageBuildingVerbose) ? "debug" : "info"))])),
            ("imageBuild", .object(imageBuild)),
            ("cloudAuth", .object(cloud)),
        ]
        return ManifestYAML.text(json: .object([("manager", .object(manager)), ("buildkit", .object(buildkit))]))
    }

    /// `image_building.registries`: per registry host, whether it speaks plain HTTP or has an untrusted certificate.
    static func registries(_ c: ConfigView) -> JSONValue {
        .object((c.instance(.imageBuildingRegistries)?.members ?? []).sorted { $0.key < $1.key }.map { member in
            (member.key, .object([("http", .bool(member.value["http"].map(boolean) ?? false)),
                                  ("insecure", .bool(member.value["insecure"].map(boolean) ?? false))]))
        })
    }

    static func boolean(_ i: Instance) -> Bool {
        if case .bool(let b) = i.content { return b }
        return i.text == "true"
    }

    /// BuildKit's daemon config: the cache kept after each build (`cache_storage_retention`) and the registries it
    /// talks to without TLS checks.
    static func buildkitFile(_ c: ConfigView) -> String {
        var lines = ["[worker.oci]", "  gc = true"]
        if let keep = c.filled(.imageBuildingCacheStorageRetention).flatMap(Memory.init) {
            lines.append("  gckeepstorage = \(keep.bytes)")
        }
        for member in (c.instance(.imageBuildingRegistries)?.members ?? []).sorted(by: { $0.key < $1.key }) {
            lines += ["", "[registry.\(JSONValue.quote(member.key))]",
                      "  http = \(member.value["http"].map(boolean) ?? false)",
                      "  insecure = \(member.value["insecure"].map(boolean) ?? false)"]
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func objects(_ namespace: String, _ ctx: inout RenderContext) -> [ManifestObject] {
        [CoreObjects.configMap(managerConfig, namespace: namespace, data: ["config.yaml": managerFile(ctx.config)],
                               labels: ctx.labels(release, managerConfig), release: release),
         CoreObjects.configMap(buildkitConfig, namespace: ctx.namespace(.compute), data: ["buildkitd.toml": buildkitFile(ctx.config)],
                               labels: ctx.labels(release, buildkitConfig), release: release)]
    }

    static func serviceAccount(_ ctx: RenderContext) -> [String: String] {
        var out: [String: String] = [:]
        let c = ctx.config
        if c.bool(.imageBuildingCloudRegistryAuthAzureWorkloadIdentity),
           let client = c.filled(.imageBuildingCloudRegistryAuthAzureClientId) {
            out[WorkloadIdentity.azureClientID] = client
            out[WorkloadIdentity.azureTenantID] = c.filled(.imageBuildingCloudRegistryAuthAzureTenantId)
        }
        out[WorkloadIdentity.gcpServiceAccount] = c.filled(.imageBuildingCloudRegistryAuthGcpServiceAccount)
        return out
    }

    static func pod(_ workload: String, _ pod: inout PodTemplate, _ ctx: RenderContext) {
        let c = ctx.config
        switch workload {
        case "hephaestus-manager":
            pod.annotations["kiln.dev/config-digest"] = ContentDigest.of(managerFile(c))
            pod.volumes.append(.object([("name", .string("config")), ("configMap", .object([("name", .string(managerConfig))]))]))
            pod.containers[0].mounts.append((name: "config", path: "/etc/hephaestus", readOnly: true))
            if let tenant = c.filled(.imageBuildingCloudRegistryAuthAzureTenantId) {
                pod.containers[0].env.append(("AZURE_TENANT_ID", tenant))
            }
            if let client = c.filled(.imageBuildingCloudRegistryAuthAzureClientId) {
                pod.containers[0].env.append(("AZURE_CLIENT_ID", client))
            }
            if c.bool(.imageBuildingCloudRegistryAuthAzureWorkloadIdentity) {
                pod.labels[WorkloadIdentity.azureUse] = "true"
            }
        case "hephaestus-buildkit":
            pod.annotations["kiln.dev/config-digest"] = ContentDigest.of(buildkitFile(c))
            pod.volumes.append(.object([("name", .string("buildkitd-config")),
                                        ("configMap", .object([("name", .string(buildkitConfig))]))]))
            pod.containers[0].mounts.append((name: "buildkitd-config", path: "/etc/buildkit", readOnly: true))
            for member in c.instance(.imageBuildingBuilderNodeSelector)?.members ?? [] {
                if let value = member.value.scalarText { pod.nodeSelector[member.key] = value }
            }
            if c.bool(.imageBuildingRootless) {
                // Rootless BuildKit: the `-rootless` image as user 1000, without privilege (BuildKit's rootless mode).
                pod.containers[0].image += "-rootless"
                pod.containers[0].privileged = false
                pod.containers[0].env.append(("BUILDKITD_FLAGS", "--oci-worker-no-process-sandbox"))
            }
        default:
            break
        }
    }
}
