import Config
import Platform

/// domino-data-importer: where the daily backup (`domino-workbench-backup`) uploads its archive, from
/// `blob_storage.backups` (admin_guide/operations/backup-restore/customize-backups.txt): on the shared store, or in
/// an S3 bucket, an Azure container or a GCS bucket, the last through GKE workload identity.
enum DataImporterHook {
    static let hook = ReleaseHook(pod: pod, serviceAccount: serviceAccount)

    static func pod(_ workload: String, _ pod: inout PodTemplate, _ ctx: RenderContext) {
        let c = ctx.config
        if workload == "domino-workbench-backup" {
            let script = c.string("release_overrides.domino-data-importer.chart_values.backupJobScript")
                ?? "importer backup --upload --archive --delete --alert-on-fail"
            pod.containers[0].args = ["/bin/sh", "-c", script]
        }
        let type = c.string(.blobStorageBackupsType) ?? "shared"
        var env: [(String, String)] = [("BACKUP_STORE", type)]
        switch type {
        case "s3":
            env += [("BACKUP_S3_BUCKET", c.filled(.blobStorageBackupsS3Bucket) ?? ""),
                    ("BACKUP_S3_REGION", c.filled(.blobStorageBackupsS3Region) ?? "")]
            if let key = c.filled(.blobStorageBackupsS3SseKmsKeyId) { env.append(("BACKUP_S3_SSE_KMS_KEY_ID", key)) }
        case "azure":
            env += [("BACKUP_AZURE_ACCOUNT_NAME", c.filled(.blobStorageBackupsAzureAccountName) ?? ""),
                    ("BACKUP_AZURE_CONTAINER", c.filled(.blobStorageBackupsAzureContainer) ?? "")]
        case "gcs":
            env.append(("BACKUP_GCS_BUCKET", c.filled(.blobStorageBackupsGcsBucket) ?? ""))
        default:
            env.append(("BACKUP_SHARED_PATH", "/opt/shared/backups"))
        }
        pod.containers[0].env += env
    }

    static func serviceAccount(_ ctx: RenderContext) -> [String: String] {
        guard ctx.config.string(.blobStorageBackupsType) == "gcs",
              let account = ctx.gcpServiceAccount("blob_storage.backups.gcs") else { return [:] }
        return [WorkloadIdentity.gcpServiceAccount: account]
    }
}
