import Config
import Platform

/// nucleus: the central-configuration records the installer seeds from the config, and the settings its pods read
/// from their environment.
///
/// The platform keeps global settings as records in MongoDB (namespace `common`), seeded by the Job
/// `nucleus-seed-central-config-defaults` and read by every `nucleus-*` process at start
/// (admin_guide/configuration/central-configuration.txt; the Job in
/// admin_guide/troubleshooting/connectivity-and-slowness-issues.txt). kiln renders the records derived from the config
/// as the ConfigMap `nucleus-central-config-defaults` (secret records in the Secret of the same name), mounted by that
/// Job; the nucleus pods carry a digest of the records, so a change of one restarts them as the docs require.
enum NucleusHook {
    static let seedJob = "nucleus-seed-central-config-defaults"
    static let records = "nucleus-central-config-defaults"
    /// The builder's registry credentials: a docker config Secret in the compute namespace (central-configuration page).
    static let builderSecret = "domino-quay-repos"

    static let hook = ReleaseHook(pod: pod, objects: objects)

    /// The records the config decides, by record key.
    static func records(_ ctx: RenderContext) -> [String: String] {
        let c = ctx.config
        var r: [String: String] = [:]
        r["com.cerebro.domino.computegrid.kubernetes.volume.storageClass"] = ReleaseRenderer.storageClass(.block, ctx)
        switch c.string(.blobStorageProjectsType) {
        case "s3":
            r["com.cerebro.domino.blobStorageMedium"] = "S3"
            r["com.cerebro.domino.blobs.s3.bucket"] = c.filled(.blobStorageProjectsS3Bucket)
            r["com.cerebro.domino.blobs.s3.region"] = c.filled(.blobStorageProjectsS3Region)
            r["com.cerebro.domino.blobs.s3.sseKmsKeyId"] = c.filled(.blobStorageProjectsS3SseKmsKeyId)
        case "azure":
            // The page names the medium `AzureBlob` in its list of media and `Azure` in the Azure section; kiln
            // writes the list's value, which the blobStorageMedium record itself documents.
            r["com.cerebro.domino.blobStorageMedium"] = "AzureBlob"
            r["com.cerebro.domino.azureblob.accountName"] = c.filled(.blobStorageProjectsAzureAccountName)
            r["com.cerebro.domino.azureblob.containerName"] = c.filled(.blobStorageProjectsAzureContainer)
        default:
            break
        }
        if c.bool(.emailNotificationsEnabled) {
            r["com.cerebro.domino.email.smtp.transportType"] = "SMTP"
            r["com.cerebro.domino.email.smtp.host"] = c.filled(.emailNotificationsServer)
            r["com.cerebro.domino.email.smtp.port"] = c.number(.emailNotificationsPort).map { String(Int($0)) } ?? "25"
            r["com.cerebro.domino.email.smtp.ssl"] = c.bool(.emailNotificationsEnableSsl) ? "true" : "false"
            r["com.cerebro.domino.email.smtp.user"] = c.filled(.emailNotificationsAuthenticationUsername)
            r["com.cerebro.domino.email.smtp.from"] = c.filled(.emailNotificationsFromAddress)
        } else {
            r["com.cerebro.domino.email.smtp.transportType"] = "Logging"
        }
        let servers = c.list(.helmImageRegistries).compactMap { $0["server"]?.scalarText }
        r["com.cerebro.domino.builder.remoteRegistryCredentials.server"] = ctx.offlineRegistry ?? servers.first ?? "quay.io"
        let more = ctx.offlineRegistry == nil ? Array(servers.dropFirst()) : servers
        if !more.isEmpty { r["com.cerebro.domino.builder.remoteRegistryCredentials.additionalServers"] = more.joined(separator: ",") }
        r["com.cerebro.domino.builder.remoteRegistryCredentials.secretName"] = builderSecret
        r["com.cerebro.domino.builder.remoteRegistryCredentials.secretNamespace"] = ctx.namespace(.compute)
        // Air-gapped apps fail with 500s while they try to reach Mixpanel; `disabled` never resolves (6.1.1 notes).
        if ctx.offlineRegistry != nil || !c.bool(.mixpanelEnabled) {
            r["com.cerebro.domino.mixpanel.eventsEndpoint"] = "disabled"
        }
        r["com.cerebro.domino.flows.enabled"] = ctx.plan.intent("flyte")?.status == .installed ? "true" : "false"
        r["com.cerebro.domino.audit.enabled"] = c.bool(.auditTrailEnabled) ? "true" : "false"
        if let host = c.filled(.hostname) {
            r["com.cerebro.domino.frontend.cliInstallerLocation"] = "\(c.bool(.sslEnabled) ? "https" : "http")://\(host)/assets/cli/default"
        }
        let async = ["request_message_size", "response_message_size"]
            .compactMap { c.filled("sizing.async_endpoints.\($0)").flatMap(Memory.init) }
        if let largest = async.max() { r["com.cerebro.domino.modelApis.async.maxMsgSizeInBytes"] = String(largest.bytes) }
        r.merge(NexusExposure.records(ctx)) { _, nexus in nexus }
        for image in ExecutionImage.all where image.isUsed(by: c) {
            if let record = image.record { r[record] = ctx.image(image.image) }
        }
        return r
    }

    /// Records that hold secrets: they go to the Secret, never the ConfigMap.
    static let secretRecords: [(record: String, path: String, when: @Sendable (ConfigView) -> Bool)] = [
        ("com.cerebro.domino.azureblob.accountKey", "blob_storage.projects.azure.account_key",
         { $0.string(.blobStorageProjectsType) == "azure" }),
        ("com.cerebro.domino.email.smtp.password", "email_notifications.authentication.password",
         { $0.bool(.emailNotificationsEnabled) }),
    ]

    static func objects(_ namespace: String, _ ctx: inout RenderContext) -> [ManifestObject] {
        let release = "nucleus"
        var out = [CoreObjects.configMap(records, namespace: namespace, data: records(ctx), labels: ctx.labels(release, records),
                                         release: release)]
        var secret: [String: String] = [:]
        for entry in secretRecords where entry.when(ctx.config) {
            if let value = ctx.secret(entry.path) { secret[entry.record] = value }
        }
        if !secret.isEmpty {
            out.append(CoreObjects.secret(records, namespace: namespace, type: "Opaque", stringData: secret,
                                          labels: ctx.labels(release, records), release: release))
        }
        var container = PodTemplate.Container(name: "seed", image: ctx.image(.domino("nucleus"), of: "nucleus"))
        // The records are written to the `config` collection in namespace `common`; defaults already changed by an
        // admin stay as they are (the Job seeds defaults, it does not overwrite).
        container.args = ["seed-central-config-defaults", "--records=/etc/domino/central-config",
                          "--secret-records=/etc/domino/central-config-secrets", "--namespace=common"]
        container.mounts = [(name: "records", path: "/etc/domino/central-config", readOnly: true)]
        var pod = PodTemplate(labels: ObjectLabels.selector(release: release, name: seedJob), serviceAccount: release,
                              containers: [container])
        pod.volumes = [.object([("name", .string("records")), ("configMap", .object([("name", .string(records))]))])]
        if !secret.isEmpty {
            pod.containers[0].mounts.append((name: "secret-records", path: "/etc/domino/central-config-secrets", readOnly: true))
            pod.volumes.append(.object([("name", .string("secret-records")), ("secret", .object([("secretName", .string(records))]))]))
        }
        pod.nodeSelector = ctx.nodeSelector(.platform)
        out.append(WorkloadObjects.job(seedJob, namespace: namespace, labels: ctx.labels(release, seedJob), pod: pod, release: release))
        out.append(builderCredentials(&ctx))
        out.append(executionImages(ctx))
        return out
    }

    static let executionImageList = "domino-execution-images"

    /// The images executions run, as the cluster pulls them (the private registry's when offline), in the compute
    /// namespace: what the dispatcher starts runs with, and what an offline bundle must carry.
    static func executionImages(_ ctx: RenderContext) -> ManifestObject {
        var data: [String: String] = [:]
        for image in ExecutionImage.all where image.isUsed(by: ctx.config) { data[image.role] = ctx.image(image.image) }
        return CoreObjects.configMap(executionImageList, namespace: ctx.namespace(.compute), data: data,
                                     labels: ctx.labels("nucleus", executionImageList), release: "nucleus")
    }

    /// `domino-quay-repos`: the registry credentials the builder pushes and pulls with, in the compute namespace.
    static func builderCredentials(_ ctx: inout RenderContext) -> ManifestObject {
        let json = BaseObjects.dockerConfig(&ctx)
        return CoreObjects.secret(builderSecret, namespace: ctx.namespace(.compute), type: "kubernetes.io/dockerconfigjson",
                                  stringData: [".dockerconfigjson": json], labels: ctx.labels("nucleus", builderSecret),
                                  release: "nucleus")
    }

    /// The nucleus processes read the records at start, and the settings the docs give no record for from their
    /// environment (kiln's names: the reference does not publish the variables its charts set).
    static func pod(_ workload: String, _ pod: inout PodTemplate, _ ctx: RenderContext) {
        let c = ctx.config
        pod.annotations["kiln.dev/central-config-digest"] = ContentDigest.of(records(ctx).sorted { $0.key < $1.key }
            .map { "\($0.key)=\($0.value)" }.joined(separator: "\n"))
        var env: [(String, String)] = [("DOMINO_CLUSTER_DOMAIN", c.string(.clusterDomain) ?? "cluster.local")]
        let logs = c.string(.blobStorageLogsType) ?? "shared"
        env.append(("DOMINO_EXECUTION_LOGS_STORE", logs))
        if logs == "s3" {
            env += [("DOMINO_EXECUTION_LOGS_S3_BUCKET", c.filled(.blobStorageLogsS3Bucket) ?? ""),
                    ("DOMINO_EXECUTION_LOGS_S3_REGION", c.filled(.blobStorageLogsS3Region) ?? "")]
            if let key = c.filled(.blobStorageLogsS3SseKmsKeyId) { env.append(("DOMINO_EXECUTION_LOGS_S3_SSE_KMS_KEY_ID", key)) }
        }
        if workload == "nucleus-frontend" {
            env += [("DOMINO_INTERCOM_ENABLED", flag(c.bool(.intercomEnabled))),
                    ("DOMINO_MIXPANEL_ENABLED", flag(c.bool(.mixpanelEnabled))),
                    ("DOMINO_MIXPANEL_REDACTED", flag(c.bool(.mixpanelRedactedMode))),
                    ("DOMINO_ZENDESK_ENABLED", flag(c.bool(.zendeskEnabled))),
                    ("DOMINO_AI_GOVERNANCE_ENABLED", flag(c.bool(.aiGovernanceEnabled)))]
            if let prefix = c.filled(.serviceHostPrefixesApp), let host = c.filled(.hostname) {
                env.append(("DOMINO_APPS_HOST", "\(prefix).\(host)"))
            }
        }
        pod.containers[0].env += env
    }

    static func flag(_ b: Bool) -> String { b ? "true" : "false" }
}
