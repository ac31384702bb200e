import Config
import Foundation
import Platform
import Schema

/// What the whole platform shares, rendered as the `kiln-base` release (installed first).
enum BaseObjects {
    static let release = "kiln-base"

    static func render(_ ctx: inout RenderContext) -> [ManifestObject] {
        var out: [ManifestObject] = [PlatformResource.definition(labels: labels(ctx, "platform-crd"))]
        out += namespaces(ctx)
        out += storageClasses(ctx)
        out.append(PolicyObjects.priorityClass(RenderContext.priorityClass, value: 1_000_000,
                                               description: "The platform's own services: scheduled before user executions.",
                                               labels: labels(ctx, RenderContext.priorityClass), release: release))
        out += pullSecrets(&ctx)
        if let bundle = ctx.config.string(.customCertificates), !bundle.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            // The platform reads extra CAs from this ConfigMap in the `default` namespace, key `bundle`.
            out.append(CoreObjects.configMap("domino-custom-certificates", namespace: "default", data: ["bundle": bundle],
                                             labels: labels(ctx, "domino-custom-certificates"), release: release))
        }
        if ctx.plan.intent("nginx-ingress")?.status == .installed {
            out.append(PolicyObjects.ingressClass(ctx.config.string(.ingressControllerClassName) ?? "nginx",
                                                  controller: "k8s.io/ingress-nginx", labels: labels(ctx, "ingress-class"), release: release))
        }
        if ctx.networkPolicies { out += NetworkPolicies.namespaceDefaults(ctx) }
        out += operatorAccount(ctx)
        out += sharedStoreOnAccessPoint(ctx)
        return out
    }

    /// The operator's service account (`operator_service_account_name`) in the system namespace, with its IAM role
    /// (`operator_role_arn`) through IRSA on EKS.
    static func operatorAccount(_ ctx: RenderContext) -> [ManifestObject] {
        guard let name = ctx.config.filled(.operatorServiceAccountName) ?? (ctx.config.filled(.operatorRoleArn) != nil ? "kiln-operator" : nil)
        else { return [] }
        let annotations = ctx.config.filled(.operatorRoleArn).map { [WorkloadIdentity.awsRoleARN: $0] } ?? [:]
        return [CoreObjects.serviceAccount(name, namespace: ctx.namespace(.system), labels: labels(ctx, name), annotations: annotations,
                                           pullSecret: ctx.pullSecret, release: release)]
    }

    /// The compute namespace's shared store on an existing EFS access point (`storage_classes.shared.efs.access_point_id`):
    /// a static volume `FILESYSTEM::ACCESS_POINT` and the claim `domino-shared-store-<compute namespace>` bound to it
    /// (the claim name of central-configuration's `com.cerebro.domino.datacache.pvc.names`). Without an access point
    /// the class provisions one per claim.
    static func sharedStoreOnAccessPoint(_ ctx: RenderContext) -> [ManifestObject] {
        let c = ctx.config
        guard c.string(.storageClassesSharedType) == "efs", let fs = c.filled(.storageClassesSharedEfsFilesystemId),
              let ap = c.filled(.storageClassesSharedEfsAccessPointId) else { return [] }
        let compute = ctx.namespace(.compute)
        let name = "domino-shared-store-\(compute)"
        let className = ReleaseRenderer.storageClass(.shared, ctx)
        let volume = ManifestObject(apiVersion: "v1", kind: "PersistentVolume", name: name, labels: labels(ctx, name), body: [
            ("spec", .object([
                ("capacity", .object([("storage", .string("1Ti"))])),
                ("accessModes", .array([.string("ReadWriteMany")])),
                ("persistentVolumeReclaimPolicy", .string("Retain")),
                ("storageClassName", .string(className)),
                ("csi", .object([("driver", .string("efs.csi.aws.com")), ("volumeHandle", .string("\(fs)::\(ap)"))])),
            ])),
        ], release: release)
        let claim = ManifestObject(apiVersion: "v1", kind: "PersistentVolumeClaim", name: name, namespace: compute,
                                   labels: labels(ctx, name), body: [
            ("spec", .object([
                ("accessModes", .array([.string("ReadWriteMany")])),
                ("storageClassName", .string(className)),
                ("volumeName", .string(name)),
                ("resources", .object([("requests", .object([("storage", .string("1Ti"))]))])),
            ])),
        ], release: release)
        return [volume, claim]
    }

    static func labels(_ ctx: RenderContext, _ name: String) -> [String: String] {
        ctx.labels.labels(release: release, name: name)
    }

    /// The namespaces this install uses: a data plane has the platform namespace only when a release it installs
    /// lives there (the CSI driver, fluentd, the image cache); Istio's only when kiln installs it. A namespace the
    /// render puts objects in is always rendered: the API server refuses objects in a namespace that does not exist.
    static func usedNamespaces(_ ctx: RenderContext) -> [NamespaceRole] {
        let platform = !ctx.dataPlaneOnly || ctx.plan.installOrder.contains { $0.namespace == .platform }
        var roles: [NamespaceRole] = platform ? [.platform, .compute, .system] : [.compute, .system]
        if ctx.plan.intent("istio")?.status == .installed { roles.append(.istio) }
        return roles
    }

    static func namespaces(_ ctx: RenderContext) -> [ManifestObject] {
        var seen = Set<String>()
        return usedNamespaces(ctx).compactMap { role in
            let name = ctx.namespace(role)
            guard seen.insert(name).inserted else { return nil }
            var nsLabels = labels(ctx, name).merging(ctx.map("namespaces.\(role.rawValue).labels")) { _, user in user }
            if role == .platform { nsLabels["domino-platform"] = "true" }
            if ctx.istioSidecars, role != .istio, role != .system { nsLabels["istio-injection"] = "enabled" }
            return CoreObjects.namespace(name, labels: nsLabels, annotations: ctx.map("namespaces.\(role.rawValue).annotations"),
                                         release: release)
        }
    }

    /// The storage classes kiln creates (`create: true`), per type, with the values the deploy pages give.
    static func storageClasses(_ ctx: RenderContext) -> [ManifestObject] {
        var out: [ManifestObject] = []
        let c = ctx.config
        if c.bool(.storageClassesBlockCreate), let name = c.filled(.storageClassesBlockName) {
            let type = c.string(.storageClassesBlockType) ?? ""
            var parameters = ctx.map("storage_classes.block.parameters")
            let provisioner: String
            var binding = "WaitForFirstConsumer"
            switch type {
            case "ebs":
                provisioner = "ebs.csi.aws.com"
                parameters["type"] = parameters["type"] ?? "gp3"
                parameters["encrypted"] = "true"
                parameters["fsType"] = parameters["fsType"] ?? "ext4"
            case "gce":
                provisioner = "kubernetes.io/gce-pd"
                parameters["type"] = parameters["type"] ?? "pd-standard"
                parameters["replication-type"] = parameters["replication-type"] ?? "none"
            case "azure-disk":
                provisioner = "kubernetes.io/azure-disk"
                parameters["storageaccounttype"] = parameters["storageaccounttype"] ?? "Premium_LRS"
                parameters["kind"] = parameters["kind"] ?? "Managed"
                parameters["cachingmode"] = parameters["cachingmode"] ?? "ReadOnly"
                binding = "Immediate"
            case "hostpath":
                // A local-path provisioner creates directories under base_path on the node that runs the pod.
                provisioner = "rancher.io/local-path"
                parameters["nodePath"] = c.string(.storageClassesBlockBasePath) ?? ""
            case "ceph-rdb":
                provisioner = "rbd.csi.ceph.com"
            default:
                provisioner = "kubernetes.io/no-provisioner"
            }
            out.append(PolicyObjects.storageClass(name, provisioner: provisioner, parameters: parameters, reclaimPolicy: "Delete",
                                                  bindingMode: binding, expansion: true, mountOptions: [],
                                                  isDefault: c.bool(.storageClassesBlockDefault), labels: labels(ctx, name),
                                                  release: release))
        }
        if c.bool(.storageClassesSharedCreate), let name = c.filled(.storageClassesSharedName) {
            let type = c.string(.storageClassesSharedType) ?? ""
            var parameters: [String: String] = [:]
            var mountOptions: [String] = []
            let provisioner: String
            switch type {
            case "efs":
                // Access point root /domino, owned by 0:0, mode 777 (EKS architecture page).
                provisioner = "efs.csi.aws.com"
                parameters = ["provisioningMode": "efs-ap", "fileSystemId": c.string(.storageClassesSharedEfsFilesystemId) ?? "",
                              "directoryPerms": "777", "uid": "0", "gid": "0", "basePath": "/domino"]
                // The file system's region, for efs-utils to resolve its mount target (mounts are TLS, as EFS advises).
                if let region = c.filled(.storageClassesSharedEfsRegion) { mountOptions = ["tls", "region=\(region)"] }
            case "nfs":
                provisioner = NFSProvisioner.name
                parameters = ["archiveOnDelete": "false"]
                mountOptions = c.list(.storageClassesSharedNfsMountOptions).compactMap(\.scalarText)
            case "azure-file":
                provisioner = "kubernetes.io/azure-file"
                if let account = c.filled(.storageClassesSharedAzureFileStorageAccount) { parameters["storageAccount"] = account }
                parameters["skuName"] = "Standard_LRS"
            case "cephfs":
                provisioner = "cephfs.csi.ceph.com"
            default:
                provisioner = "kubernetes.io/no-provisioner"
            }
            out.append(PolicyObjects.storageClass(name, provisioner: provisioner, parameters: parameters, reclaimPolicy: "Delete",
                                                  bindingMode: "Immediate", expansion: true, mountOptions: mountOptions,
                                                  isDefault: false, labels: labels(ctx, name), release: release))
        }
        return out
    }

    /// The registry credentials of `helm.image_registries`, as a pull secret in every namespace pods run in.
    static func pullSecrets(_ ctx: inout RenderContext) -> [ManifestObject] {
        guard let secretName = ctx.pullSecret else { return [] }
        let json = dockerConfig(&ctx)
        return usedNamespaces(ctx).map { ctx.namespace($0) }.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
            .map { namespace in
                CoreObjects.secret(secretName, namespace: namespace, type: "kubernetes.io/dockerconfigjson",
                                   stringData: [".dockerconfigjson": json], labels: labels(ctx, secretName), release: release)
            }
    }

    /// `helm.image_registries` as a docker `config.json` (`{"auths": {server: {auth, username, password}}}`).
    static func dockerConfig(_ ctx: inout RenderContext) -> String {
        var auths: [(String, String)] = []
        for (i, registry) in ctx.config.list(.helmImageRegistries).enumerated() {
            guard let server = registry["server"]?.scalarText else { continue }
            let path = "helm.image_registries[\(i)]"
            guard let user = ctx.secrets.resolve(registry["username"]?.scalarText ?? "", at: path + ".username", into: &ctx.diagnostics),
                  let password = ctx.secrets.resolve(registry["password"]?.scalarText ?? "", at: path + ".password", into: &ctx.diagnostics)
            else { continue }
            let auth = Data("\(user):\(password)".utf8).base64EncodedString()
            auths.append((server, "{\"auth\":\(JSONValue.quote(auth)),\"password\":\(JSONValue.quote(password)),\"username\":\(JSONValue.quote(user))}"))
        }
        return "{\"auths\":{" + auths.sorted { $0.0 < $1.0 }.map { JSONValue.quote($0.0) + ":" + $0.1 }.joined(separator: ",") + "}}"
    }
}

/// The NFS provisioner's name, which the shared storage class refers to (GKE architecture page).
enum NFSProvisioner {
    static let name = "cluster.local/nfs-client-provisioner"
}
