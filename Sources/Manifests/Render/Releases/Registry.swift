import Config
import Platform

/// docker-registry: its storage backend (`internal_docker_registry.*_override`, as the registry's own
/// `REGISTRY_STORAGE_*` variables), and on GCS the identity it authenticates with (GKE workload identity).
enum RegistryHook {
    /// The in-cluster registry as nodes and the image builder reach it: its Service (the workload's name) and port,
    /// from the release description.
    static let inClusterAddress: String = {
        let registry = ReleaseCatalog.release("docker-registry")?.workloads.first { $0.name == "docker-registry" }
        return "\(registry?.serviceName ?? "docker-registry"):\(registry?.ports.first?.port ?? 5000)"
    }()

    static let hook = ReleaseHook(workload: { draft, ctx in
        guard draft.name == "docker-registry" else { return }
        draft.pod.containers[0].env += registryStorage(ctx.config)
        NexusExposure.admit(&draft, ports: ["registry"], ctx)
    }, serviceAccount: { ctx in
        guard ctx.config.filled(.internalDockerRegistryGcsOverrideBucket) != nil,
              let account = ctx.gcpServiceAccount("internal_docker_registry.gcs_override") else { return [:] }
        return [WorkloadIdentity.gcpServiceAccount: account]
    }, objects: { _, ctx in
        NexusExposure.service(for: "docker-registry", release: "docker-registry", ports: NexusExposure.registryPorts, ctx)
    })

    /// The registry's storage backend from `internal_docker_registry.*_override` (filesystem on its volume otherwise).
    static func registryStorage(_ c: ConfigView) -> [(String, String)] {
        if let bucket = c.filled(.internalDockerRegistryS3OverrideBucket) {
            var env = [("REGISTRY_STORAGE", "s3"), ("REGISTRY_STORAGE_S3_BUCKET", bucket),
                       ("REGISTRY_STORAGE_S3_REGION", c.string(.internalDockerRegistryS3OverrideRegion) ?? "")]
            if let key = c.filled(.internalDockerRegistryS3OverrideSseKmsKeyId) {
                env += [("REGISTRY_STORAGE_S3_ENCRYPT", "true"), ("REGISTRY_STORAGE_S3_KEYID", key)]
            }
            return env
        }
        if let bucket = c.filled(.internalDockerRegistryGcsOverrideBucket) {
            return [("REGISTRY_STORAGE", "gcs"), ("REGISTRY_STORAGE_GCS_BUCKET", bucket)]
        }
        if let account = c.filled(.internalDockerRegistryAzureBlobsOverrideAccountName) {
            return [("REGISTRY_STORAGE", "azure"), ("REGISTRY_STORAGE_AZURE_ACCOUNTNAME", account),
                    ("REGISTRY_STORAGE_AZURE_CONTAINER", c.string(.internalDockerRegistryAzureBlobsOverrideContainer) ?? "")]
        }
        return [("REGISTRY_STORAGE", "filesystem"), ("REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY", "/data")]
    }
}
