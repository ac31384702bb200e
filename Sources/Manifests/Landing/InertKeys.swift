/// Keys of schema 1.14 that change nothing in the rendered platform, by design, each with the reason `kiln explain`
/// prints. Every other key must change the render where it applies (the config-coverage test holds this).
public enum InertKeys {
    public static let reasons: [String: String] = [
        "schema": "selects the schema version the file is read with (kiln migrate moves older ones to 1.14); it configures nothing itself",
        "preset": "names the preset the file is layered on; the preset's values are what land, each key where it lands",
        "helm.version": "Helm 2/3 settings of the reference installer: kiln renders and applies the charts' objects itself, so no Helm runs",
        "helm.host": "the Helm 2 chart repository host of the reference installer: the charts ship inside kiln",
        "helm.namespace": "the Helm 2 chart repository namespace of the reference installer: the charts ship inside kiln",
        "helm.username": "the Helm 2 chart repository credentials of the reference installer: the charts ship inside kiln",
        "helm.password": "the Helm 2 chart repository credentials of the reference installer: the charts ship inside kiln",
        "blob_storage.logs.azure.account_name": "the reference keeps logs on shared or S3 only (KILN-R005), so no valid config sets it: the schema shares one blob-store shape between the three stores",
        "blob_storage.logs.azure.account_key": "the reference keeps logs on shared or S3 only (KILN-R005), so no valid config sets it: the schema shares one blob-store shape between the three stores",
        "blob_storage.logs.azure.container": "the reference keeps logs on shared or S3 only (KILN-R005), so no valid config sets it: the schema shares one blob-store shape between the three stores",
        "blob_storage.logs.gcs.bucket": "the reference keeps logs on shared or S3 only (KILN-R005), so no valid config sets it: the schema shares one blob-store shape between the three stores",
        "blob_storage.logs.gcs.service_account_name": "the reference keeps logs on shared or S3 only (KILN-R005), so no valid config sets it: the schema shares one blob-store shape between the three stores",
        "blob_storage.logs.gcs.project_name": "the reference keeps logs on shared or S3 only (KILN-R005), so no valid config sets it: the schema shares one blob-store shape between the three stores",
        "blob_storage.projects.gcs.bucket": "the reference keeps projects on shared, S3 or Azure only (KILN-R005), so no valid config sets it: the schema shares one blob-store shape between the three stores",
        "blob_storage.projects.gcs.service_account_name": "the reference keeps projects on shared, S3 or Azure only (KILN-R005), so no valid config sets it: the schema shares one blob-store shape between the three stores",
        "blob_storage.projects.gcs.project_name": "the reference keeps projects on shared, S3 or Azure only (KILN-R005), so no valid config sets it: the schema shares one blob-store shape between the three stores",
        "mixpanel.token": "no longer used since 6.1.0, which chooses the token itself (release_notes/6-1-0.txt); kiln warns where it is set",
        "extended_catalog": "a permission, not a setting: it allows the extended releases, which their own keys switch on (turning it off while one is on is an error)",
        "aws_account_id": "the account the reference installer's own AWS calls use; kiln's objects name AWS resources by full ARN (operator_role_arn, the Flows roles), which carry the account",
        "offline.agent_repository": "where the installer agent image lives in the private registry: kiln is the installer and runs no agent image, so no rendered object pulls it",
    ]

    public static func reason(_ pattern: String) -> String? { reasons[pattern] }
}
