import Foundation
import Diagnostics

/// Storage classes and blob stores.
enum StorageRules {
    static let all = [blockClassName, cacheRetention, blobBackends, sharedClassBackend, hostpathBasePath, blobBackendFilled]

    static let blockClassName = SemanticRule(
        "KILN-R003",
        "`storage_classes.block.name` is set and not empty (\"\" would mean the cluster's default class); required on control-plane installs.",
        reference: "admin_guide/configuration/installer-configuration.txt"
    ) { rule, config in
        let path = "storage_classes.block.name"
        if let name = config.instance(path), let text = name.text, text.trimmingCharacters(in: .whitespaces).isEmpty {
            return [rule.error(config, path, "storage_classes.block.name must not be empty",
                                         help: "name the block storage class, e.g. `dominodisk`")]
        }
        if !config.has(path), !config.isDataPlaneOnly, !config.has(.storageClassesBlock) {
            return [rule.error(config, path, "a control-plane install needs `storage_classes.block.name`",
                                         help: "add `storage_classes.block` with the block storage class, e.g. `name: dominodisk`")]
        }
        return []
    }

    static let cacheRetention = SemanticRule(
        "KILN-R004",
        "`image_building.cache_storage_retention` is not greater than `image_building.cache_storage_size`.",
        reference: "admin_guide/configuration/installer-configuration.txt"
    ) { rule, config in
        guard let sizeText = config.filled(.imageBuildingCacheStorageSize),
              let keepText = config.filled(.imageBuildingCacheStorageRetention),
              let size = Quantity.bytes(sizeText), let keep = Quantity.bytes(keepText), keep > size else { return [] }
        return [rule.error(
            config, "image_building.cache_storage_retention",
            "cache_storage_retention (\(keepText)) is greater than cache_storage_size (\(sizeText))",
            help: "the cache is cut back to the retention size after each build, so it cannot be larger than the cache")]
    }

    /// The blob backends each store accepts (logs: NFS and S3; projects: + Azure; backups: + Azure and GCS).
    static let acceptedBackends: [(store: String, backends: [String])] = [
        ("projects", ["shared", "s3", "azure"]),
        ("logs", ["shared", "s3"]),
        ("backups", ["shared", "s3", "azure", "gcs"]),
    ]

    /// A store's backend: its `type`, else the one backend section with a value filled in, else `shared`.
    static func backend(_ config: ConfigView, _ store: String) -> (name: String, filled: [String]) {
        let filled = ["s3", "azure", "gcs"].filter { section in
            (config.instance("blob_storage.\(store).\(section)")?.members ?? []).contains { !($0.value.text ?? "").isEmpty }
        }
        if let type = config.filled("blob_storage.\(store).type") { return (type, filled) }
        return (filled.first ?? "shared", filled)
    }

    static let blobBackends = SemanticRule(
        "KILN-R005",
        "Each blob store uses a backend it supports (logs: shared or S3; projects: also Azure; backups: also Azure and GCS), and only one.",
        reference: "admin_guide/configuration/installer-configuration.txt"
    ) { rule, config in
        var out: [Diagnostic] = []
        for (store, accepted) in acceptedBackends where config.has("blob_storage.\(store)") {
            let (name, filled) = backend(config, store)
            if !accepted.contains(name) {
                let at = config.has("blob_storage.\(store).type") ? "blob_storage.\(store).type" : "blob_storage.\(store).\(name)"
                out.append(rule.error(
                    config, at, "blob_storage.\(store) cannot use `\(name)`",
                    help: "\(store) accepts \(accepted.map { "`\($0)`" }.joined(separator: ", "))"))
            } else if filled.count > 1 || (filled.count == 1 && filled[0] != name && name != "shared") {
                out.append(rule.error(
                    config, "blob_storage.\(store)",
                    "blob_storage.\(store) fills in more than one backend (\((Set(filled).union([name]).sorted()).map { "`\($0)`" }.joined(separator: ", ")))",
                    help: "keep only the section of the backend in use"))
            }
        }
        return out
    }

    static let sharedClassBackend = SemanticRule(
        "KILN-R006",
        "A shared storage class that kiln creates has its backend's settings (EFS: region and filesystem; NFS: server and mount path).",
        reference: "admin_guide/configuration/installer-configuration.txt"
    ) { rule, config in
        guard config.bool(.storageClassesSharedCreate), let type = config.filled(.storageClassesSharedType) else { return [] }
        let needed: [String]
        switch type {
        case "efs": needed = ["efs.region", "efs.filesystem_id"]
        case "nfs": needed = ["nfs.server", "nfs.mount_path"]
        default: needed = []
        }
        return needed.filter { config.filled("storage_classes.shared.\($0)") == nil }.map {
            rule.error(config, "storage_classes.shared.\($0)",
                                     "storage_classes.shared.\($0) is needed to create the `\(type)` storage class")
        }
    }

    static let hostpathBasePath = SemanticRule(
        "KILN-R007",
        "A `hostpath` block storage class that kiln creates has a `base_path`.",
        reference: "admin_guide/configuration/installer-configuration.txt"
    ) { rule, config in
        guard config.bool(.storageClassesBlockCreate), config.string(.storageClassesBlockType) == "hostpath",
              config.filled(.storageClassesBlockBasePath) == nil else { return [] }
        return [rule.error(config, "storage_classes.block.base_path",
                                       "storage_classes.block.base_path is needed for a `hostpath` storage class",
                                       help: "the directory on each node under which volumes are created, e.g. `/mnt/domino`")]
    }

    static let blobBackendFilled = SemanticRule(
        "KILN-R008",
        "A blob store's chosen backend has its location (S3: bucket and region; Azure: account and container; GCS: bucket).",
        reference: "admin_guide/configuration/installer-configuration.txt"
    ) { rule, config in
        var out: [Diagnostic] = []
        let needs = ["s3": ["bucket", "region"], "azure": ["account_name", "container"], "gcs": ["bucket"]]
        for (store, _) in acceptedBackends where config.has("blob_storage.\(store)") {
            let name = backend(config, store).name
            for field in needs[name] ?? [] where config.filled("blob_storage.\(store).\(name).\(field)") == nil {
                out.append(rule.error(config, "blob_storage.\(store).\(name).\(field)",
                                                   "blob_storage.\(store).\(name).\(field) is needed for the `\(name)` backend"))
            }
        }
        return out
    }
}
