import Config
import Platform

/// docker-registry: on GCS it authenticates through GKE workload identity (`internal_docker_registry.gcs_override`).
enum RegistryHook {
    static let hook = ReleaseHook(serviceAccount: { ctx in
        guard ctx.config.filled("internal_docker_registry.gcs_override.bucket") != nil,
              let account = ctx.gcpServiceAccount("internal_docker_registry.gcs_override") else { return [:] }
        return [WorkloadIdentity.gcpServiceAccount: account]
    })
}
