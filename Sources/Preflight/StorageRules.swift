import Manifests
import Schema

/// The storage rules: the classes the platform uses exist, their CSI drivers are installed, and a default class
/// exists when a claim relies on one (`cluster-requirements.txt`, Storage classes).
enum StorageRules {
    static let defaultAnnotation = "storageclass.kubernetes.io/is-default-class"

    /// In-tree provisioner names and the CSI driver that serves them since CSI migration.
    static let migrated = ["kubernetes.io/aws-ebs": "ebs.csi.aws.com", "kubernetes.io/gce-pd": "pd.csi.storage.gke.io",
                           "kubernetes.io/azure-disk": "disk.csi.azure.com", "kubernetes.io/azure-file": "file.csi.azure.com",
                           "kubernetes.io/cinder": "cinder.csi.openstack.org", "kubernetes.io/vsphere-volume": "csi.vsphere.vmware.com"]
    /// Provisioners that need no CSI driver: static volumes, and the local-path provisioner `hostpath` uses.
    static let noDriver: Set<String> = ["kubernetes.io/no-provisioner", "rancher.io/local-path"]

    /// Claims the render makes: each PersistentVolumeClaim's spec and each StatefulSet claim template's.
    static func claims(_ input: PreflightInput) -> [(owner: String, spec: JSONValue)] {
        input.result.objects.flatMap { object -> [(String, JSONValue)] in
            let json = object.json
            if object.kind == "PersistentVolumeClaim" { return [("\(object.kind) \(object.namespace ?? "")/\(object.name)", json["spec"] ?? .null)] }
            return (json["spec"]?["volumeClaimTemplates"]?.arrayValue ?? []).map { ("\(object.kind) \(object.namespace ?? "")/\(object.name)", $0["spec"] ?? .null) }
        }
    }

    /// Class name → the config key that names it (or the object whose claim names it), in name order.
    static func needed(_ input: PreflightInput) -> [(name: String, source: String)] {
        var named: [String: String] = [:]
        for (owner, spec) in claims(input) {
            if let name = spec["storageClassName"]?.stringValue, !name.isEmpty, named[name] == nil { named[name] = "named by \(owner)" }
        }
        if let block = input.config.filled(.storageClassesBlockName) { named[block] = "storage_classes.block.name" }
        if !input.config.isDataPlaneOnly, input.config.has("storage_classes.shared"), let shared = input.config.filled(.storageClassesSharedName) {
            named[shared] = "storage_classes.shared.name"
        }
        return named.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    static func classes(_ input: PreflightInput) -> [Finding] {
        if let unreadable = input.facts.storageClasses.unreadableFinding { return [unreadable] }
        let live = Set((input.facts.storageClasses.value ?? []).map(\.name))
        let created = Set(input.rendered("StorageClass").map(\.name))
        return needed(input).map { name, source in
            if created.contains(name) { return .pass("\(name) (\(source)): kiln creates it") }
            if live.contains(name) { return .pass("\(name) (\(source)): exists") }
            return .fail("\(name) (\(source)): kiln does not create it and the cluster has no such class",
                         "create the storage class \(name), or let kiln create it (`create: true` in its storage_classes section)")
        }
    }

    /// The provisioner of a class the platform uses: kiln's rendered class, else the live one.
    static func provisioners(_ input: PreflightInput) -> [(className: String, provisioner: String)] {
        let rendered = Dictionary(input.rendered("StorageClass").map { ($0.name, $0.json["provisioner"]?.stringValue ?? "") }) { a, _ in a }
        let live = Dictionary((input.facts.storageClasses.value ?? []).map { ($0.name, $0["provisioner"]?.stringValue ?? "") }) { a, _ in a }
        return needed(input).compactMap { name, _ in (rendered[name] ?? live[name]).map { (name, $0) } }
    }

    static func drivers(_ input: PreflightInput) -> [Finding] {
        if let unreadable = input.facts.csiDrivers.unreadableFinding { return [unreadable] }
        let installed = Set((input.facts.csiDrivers.value ?? []).map(\.name))
        let findings = provisioners(input).map { className, provisioner -> Finding in
            if noDriver.contains(provisioner) { return .pass("\(className): \(provisioner) needs no CSI driver") }
            let driver = migrated[provisioner] ?? provisioner
            if installed.contains(driver) {
                return .pass("\(className): CSI driver \(driver) is installed" + (driver != provisioner ? " (serves the in-tree \(provisioner))" : ""))
            }
            if migrated[provisioner] != nil || provisioner.contains("csi") {
                return .fail("\(className): provisioner \(provisioner) needs the CSI driver \(driver), and the cluster has no CSIDriver \(driver)",
                             "install the \(driver) driver (on a managed cluster, its add-on), then run preflight again")
            }
            return .warn("\(className): provisioner \(provisioner) is not a CSI driver kiln knows, and registers no CSIDriver",
                         "check that its provisioner runs: claims of class \(className) stay Pending without it")
        }
        return findings.isEmpty ? [.pass("no storage class to check")] : findings
    }

    static func defaultClass(_ input: PreflightInput) -> [Finding] {
        if let unreadable = input.facts.storageClasses.unreadableFinding { return [unreadable] }
        let relying = claims(input).filter { ($0.spec["storageClassName"]?.stringValue ?? "").isEmpty }.map(\.owner)
        let defaults = Set((input.facts.storageClasses.value ?? []).filter { $0.annotation(defaultAnnotation) == "true" }.map(\.name)
            + input.rendered("StorageClass").filter { $0.annotations[defaultAnnotation] == "true" }.map(\.name)).sorted()
        guard !relying.isEmpty else {
            return [.pass("no rendered claim relies on the default class" + (defaults.isEmpty ? "" : " (default: \(defaults.joined(separator: ", ")))"))]
        }
        let found = "\(relying.count) claim(s) name no class (\(relying.prefix(3).joined(separator: ", "))\(relying.count > 3 ? ", …" : ""))"
        switch defaults.count {
        case 0: return [.fail(found + " and the cluster has no default storage class",
                              "mark a class default (annotation \(defaultAnnotation)=\"true\"), or set storage_classes.block.default: true")]
        case 1: return [.pass(found + "; the default class is \(defaults[0])")]
        default: return [.warn(found + "; \(defaults.count) classes are marked default (\(defaults.joined(separator: ", ")))",
                               "keep one default class: with several, Kubernetes picks the newest")]
        }
    }
}
