import Config
import Foundation
@testable import Manifests
import Platform
import Schema
import Testing

/// The central-configuration records kiln seeds from the config
/// (admin_guide/configuration/central-configuration.txt; REQUIREMENTS.md §5.8).
struct CentralConfigTests {
    func records(_ example: String, sets: [String] = []) throws -> [String: String] {
        let map = try #require(render(example, sets: sets).object("ConfigMap", NucleusHook.records))
        var out: [String: String] = [:]
        for (key, value) in map.json["data"]?.objectValue ?? [] { out[key] = value.stringValue }
        return out
    }

    @Test func s3ProjectsBlobStoreBecomesTheBlobRecords() throws {
        let r = try records("eks.yaml")
        #expect(r["com.cerebro.domino.blobStorageMedium"] == "S3")
        #expect(r["com.cerebro.domino.blobs.s3.bucket"] == exampleView("eks.yaml").string("blob_storage.projects.s3.bucket"))
        #expect(r["com.cerebro.domino.blobs.s3.region"] == exampleView("eks.yaml").string("blob_storage.projects.s3.region"))
    }

    @Test func azureProjectsUseTheAzureBlobRecordsAndKeepTheKeyInTheSecret() throws {
        let r = try records("aks.yaml")
        #expect(r["com.cerebro.domino.blobStorageMedium"] == "AzureBlob")
        #expect(r["com.cerebro.domino.azureblob.accountName"] == "contosoml")
        #expect(r["com.cerebro.domino.azureblob.accountKey"] == nil, "a secret never goes in the ConfigMap")
        let secret = try #require(render("aks.yaml").objects.first { $0.kind == "Secret" && $0.name == NucleusHook.records })
        #expect(secret.json["stringData"]?["com.cerebro.domino.azureblob.accountKey"]?.stringValue == "secret-value-of-AZURE_STORAGE_KEY")
    }

    @Test func smtpSettingsBecomeTheEmailRecords() throws {
        let r = try records("eks.yaml")
        #expect(r["com.cerebro.domino.email.smtp.host"] == "smtp.acme.example.com")
        #expect(r["com.cerebro.domino.email.smtp.port"] == "587")
        #expect(r["com.cerebro.domino.email.smtp.ssl"] == "true")
        #expect(r["com.cerebro.domino.email.smtp.user"] == "domino")
        #expect(r.values.allSatisfy { !$0.contains("secret-value-of") })
    }

    @Test func theBuilderRegistryRecordsNameDominoQuayReposInTheComputeNamespace() throws {
        let r = try records("eks.yaml")
        #expect(r["com.cerebro.domino.builder.remoteRegistryCredentials.server"] == "quay.io")
        #expect(r["com.cerebro.domino.builder.remoteRegistryCredentials.secretName"] == "domino-quay-repos")
        #expect(r["com.cerebro.domino.builder.remoteRegistryCredentials.secretNamespace"] == "domino-compute")
        #expect(r["com.cerebro.domino.computegrid.kubernetes.volume.storageClass"] == "dominodisk")
    }

    /// release_notes/6-1-1.txt: air-gapped apps fail until `com.cerebro.domino.mixpanel.eventsEndpoint` is `disabled`.
    @Test func anOfflineInstallDisablesTheMixpanelEndpoint() throws {
        #expect(try records("offline-eks.yaml")["com.cerebro.domino.mixpanel.eventsEndpoint"] == "disabled")
    }

    @Test func theSeedJobMountsTheRecordsAndNucleusRestartsWhenTheyChange() throws {
        let job = try #require(render("eks.yaml").object("Job", NucleusHook.seedJob))
        #expect(job.json.at("spec.template.spec.volumes.0.configMap.name")?.stringValue == NucleusHook.records)
        let digest = { (sets: [String]) in
            render("eks.yaml", sets: sets).object("Deployment", "nucleus-frontend")?
                .json.at("spec.template.metadata.annotations")?["kiln.dev/central-config-digest"]?.stringValue
        }
        #expect(digest([]) != nil)
        #expect(digest([]) != digest(["email_notifications.server=smtp2.acme.example.com"]))
    }

    @Test func everyHookNamesARelease() {
        for name in ReleaseHooks.table.keys { #expect(ReleaseCatalog.release(name) != nil, "\(name) is no release") }
    }
}

/// A config change rewrites only the releases it lands in (GitOps change sets stay small).
struct ChangeSetTests {
    @Test func aOneKeyChangeMovesOnlyTheReleasesItLandsIn() {
        let before = render("eks.yaml")
        let after = render("eks.yaml", sets: ["intercom.enabled=true"])
        let changed = Set(KeyLanding.differences(before.objects, after.objects).map(\.release))
        #expect(changed == ["nucleus"], "\(changed)")
        // The revision label itself moves only on nucleus's objects.
        let old = Dictionary(uniqueKeysWithValues: before.objects.map { ($0.identity, $0.labels[ObjectLabels.configRevision]) })
        for object in after.objects where old[object.identity] != object.labels[ObjectLabels.configRevision] {
            #expect(object.release == "nucleus", "\(object.identity)")
        }
    }

    @Test func theRevisionLabelDoesNotDigestSecretValues() {
        let a = render("eks.yaml")
        let b = PlatformRenderer.render(exampleView("eks.yaml"), secrets: SecretValues(variable: { "other-\($0)" }, readFile: { _ in nil }))
        let labels = { (r: RenderResult) in Set(r.objects.compactMap { $0.labels[ObjectLabels.configRevision] }) }
        #expect(labels(a) == labels(b))
    }
}

/// The images executions run are part of the render, so the image list of an install is complete.
struct ExecutionImageTests {
    @Test func theExecutionImagesAreListedAndPulledFromThePrivateRegistryOffline() throws {
        let online = try #require(render("eks.yaml").object("ConfigMap", NucleusHook.executionImageList))
        #expect(online.namespace == "domino-compute")
        #expect(online.json["data"]?["executor"]?.stringValue == "quay.io/domino/executor:6.1.2")
        #expect(online.json["data"]?["standard-environment"]?.stringValue?.hasPrefix("quay.io/domino/domino-standard-environment:") == true)
        let offline = try #require(render("offline-eks.yaml").object("ConfigMap", NucleusHook.executionImageList))
        let registry = try #require(exampleView("offline-eks.yaml").string("offline.image_registry"))
        for (_, value) in offline.json["data"]?.objectValue ?? [] {
            #expect(value.stringValue?.hasPrefix(registry + "/") == true, "\(value)")
        }
    }

    /// admin_guide/configuration/central-configuration.txt: the model API sidecar images are records.
    @Test func theModelSidecarImagesAreRecords() throws {
        let records = try #require(render("eks.yaml").object("ConfigMap", NucleusHook.records))
        #expect(records.json["data"]?["com.cerebro.domino.modelmanager.fluentBit.image"]?.stringValue?.contains("fluent-bit") == true)
    }

    @Test func theGPUEnvironmentComesWithGPUs() throws {
        let gpu = try #require(render("gpu-newrelic.yaml").object("ConfigMap", NucleusHook.executionImageList))
        #expect(gpu.json["data"]?["gpu-environment"] != nil)
        #expect(render("eks.yaml").object("ConfigMap", NucleusHook.executionImageList)?.json["data"]?["gpu-environment"] == nil)
    }
}
