import Config
import Platform
import Schema

/// flyte (Domino Flows): where it keeps workflow metadata and task data (`flyte.metadata_storage`,
/// `flyte.data_storage`), and the cloud identities of its control-plane services and of the task pods
/// (`flyte.cluster_config`), from the installer-configuration page. The storage file follows Flyte's own
/// `storage` config (type, container, connection), which the product docs do not print.
enum FlyteHook {
    static let release = "flyte"
    static let storageConfig = "flyte-storage-config"
    /// The service account Flows task pods run as, in the compute namespace.
    static let taskServiceAccount = "flyte-tasks"

    static let hook = ReleaseHook(pod: pod, serviceAccount: controlPlaneIdentity, objects: objects)

    static func store(_ c: ConfigView, _ section: String) -> JSONValue {
        if let bucket = c.filled("\(section).s3.bucket") {
            return .fields([("type", .string("s3")), ("container", .string(bucket)),
                            ("connection", .fields([("region", c.filled("\(section).s3.region").map(JSONValue.string)),
                                                    ("auth-type", .string("iam"))])),
                            ("sseKmsKeyId", c.filled("\(section).s3.sse_kms_key_id").map(JSONValue.string))])
        }
        if let container = c.filled("\(section).azure.container") {
            return .fields([("type", .string("stow")), ("container", .string(container)),
                            ("stow", .fields([("kind", .string("azure")), ("config", .fields([
                                ("account", c.filled("\(section).azure.account_name").map(JSONValue.string)),
                                ("subscription", c.filled(.flyteClusterConfigAksSubscriptionId).map(JSONValue.string)),
                            ]))]))])
        }
        return .object([("type", .string("none"))])
    }

    static func storageFile(_ c: ConfigView) -> String {
        ManifestYAML.text(json: .object([("metadata", store(c, "flyte.metadata_storage")), ("data", store(c, "flyte.data_storage"))]))
    }

    static func controlPlaneIdentity(_ ctx: RenderContext) -> [String: String] {
        identity(ctx.config, role: "controlplane")
    }

    static func identity(_ c: ConfigView, role: String) -> [String: String] {
        var out: [String: String] = [:]
        if let arn = c.filled("flyte.cluster_config.eks.\(role)_role_arn") {
            out[WorkloadIdentity.awsRoleARN] = arn
            // The account the roles and buckets belong to, for the reader (IRSA needs only the ARN).
            out["kiln.dev/aws-account-id"] = c.filled(.flyteClusterConfigEksAwsAccountId)
        }
        if let client = c.filled("flyte.cluster_config.aks.\(role)_client_id") {
            out[WorkloadIdentity.azureClientID] = client
            out[WorkloadIdentity.azureTenantID] = c.filled(.flyteClusterConfigAksTenantId)
        }
        return out
    }

    static func objects(_ namespace: String, _ ctx: inout RenderContext) -> [ManifestObject] {
        var out = [CoreObjects.configMap(storageConfig, namespace: namespace, data: ["storage.yaml": storageFile(ctx.config)],
                                         labels: ctx.labels(release, storageConfig), release: release)]
        out.append(CoreObjects.serviceAccount(taskServiceAccount, namespace: ctx.namespace(.compute),
                                              labels: ctx.labels(release, taskServiceAccount),
                                              annotations: identity(ctx.config, role: "dataplane"), pullSecret: ctx.pullSecret,
                                              release: release))
        var secret: [String: String] = [:]
        for store in ["metadata", "data"] {
            if let key = ctx.secret("flyte.\(store)_storage.azure.account_key") { secret["\(store)-account-key"] = key }
        }
        if !secret.isEmpty {
            out.append(CoreObjects.secret("flyte-storage-credentials", namespace: namespace, type: "Opaque", stringData: secret,
                                          labels: ctx.labels(release, "flyte-storage-credentials"), release: release))
        }
        return out
    }

    static func pod(_ workload: String, _ pod: inout PodTemplate, _ ctx: RenderContext) {
        pod.annotations["kiln.dev/config-digest"] = ContentDigest.of(storageFile(ctx.config))
        pod.volumes.append(.object([("name", .string("storage")), ("configMap", .object([("name", .string(storageConfig))]))]))
        pod.containers[0].mounts.append((name: "storage", path: "/etc/flyte/storage", readOnly: true))
        if ctx.config.filled(.flyteClusterConfigAksControlplaneClientId) != nil { pod.labels[WorkloadIdentity.azureUse] = "true" }
    }
}
