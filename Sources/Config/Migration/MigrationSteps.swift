import Schema

/// The rewrites from older schemas to 1.14, in the order they run. Each names the legacy key it handles; the
/// legacy keys are those REQUIREMENTS.md §2 collects from the reference (the 1.0 example config on the AKS
/// architecture page, the 5.11 catalog page, the 6.1.0 release notes).
enum MigrationSteps {
    typealias Step = @Sendable (inout MigrationTree, String) -> Void

    static let all: [Step] = [
        telemetryNesting, mixpanelToken, ingressCreate, privateDockerRegistry, helm2Keys,
        podSecurityPolicies, gitStorageClass, spotinstController, podCIDR, accessModes, blobDefault,
        enabledSwitches, emptyAutoscalingGroups, emailEncryption, extendedCatalog, platformVersion, registryChoice,
        shellVariables,
    ]

    /// `'$QUAY_PASSWORD'` in old configs was substituted by a shell; kiln reads `${env:QUAY_PASSWORD}` itself.
    /// Runs last, so that only values that stay in the config are reported.
    static let shellVariables: Step = { tree, _ in
        func rewrite(_ node: Instance, _ path: KeyPath, _ changes: inout [MigrationChange]) -> Instance {
            switch node.content {
            case .object(let members):
                return Instance(.object(members.map {
                    Member(key: $0.key, keyLocation: $0.keyLocation, value: rewrite($0.value, path.appending($0.key), &changes))
                }), at: node.location)
            case .array(let items):
                return Instance(.array(items.enumerated().map { rewrite($1, path.appending(index: $0), &changes) }), at: node.location)
            case .string(let s), .untyped(let s):
                guard let name = shellVariableName(s) else { return node }
                changes.append(MigrationChange(kind: .changed, path: path.description, to: nil, line: node.location?.line,
                                               reason: "`\(s)` → `${env:\(name)}` (kiln reads the variable itself)"))
                return Instance(.string("${env:\(name)}"), at: node.location)
            default:
                return node
            }
        }
        tree.root = rewrite(tree.root, .root, &tree.changes)
    }

    /// `$NAME` or `${NAME}`, as a shell would substitute it.
    static func shellVariableName(_ s: String) -> String? {
        guard s.hasPrefix("$"), !s.hasPrefix("${env:"), !s.hasPrefix("${file:") else { return nil }
        let name = s.hasPrefix("${") && s.hasSuffix("}") ? String(s.dropFirst(2).dropLast()) : String(s.dropFirst())
        guard let first = name.first, first.isLetter || first == "_",
              name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else { return nil }
        return name
    }

    /// `telemetry.intercom` / `telemetry.mixpanel` moved to the top level.
    static let telemetryNesting: Step = { tree, _ in
        for key in ["intercom", "mixpanel"] {
            guard let value = tree.value(["telemetry", key]) else { continue }
            if tree.member([key]) != nil {
                tree.remove(["telemetry", key], .unmapped, reason: "top-level `\(key)` is already set; kept that one")
            } else {
                tree.record(.moved, ["telemetry", key], to: [key], reason: "")
                tree.set([key], value)
                tree.drop(["telemetry", key])
            }
        }
        if let rest = tree.value(["telemetry"])?.members {
            if rest.isEmpty {
                tree.remove(["telemetry"], reason: "empty once intercom and mixpanel moved out")
            } else {
                tree.remove(["telemetry"], .unmapped, reason: "keys with no 1.14 equivalent: \(rest.map(\.key).joined(separator: ", "))")
            }
        }
    }

    static let mixpanelToken: Step = { tree, _ in
        tree.remove(["mixpanel", "token"], reason: "no longer used, and may cause upgrade issues (6.1.0 release notes)")
    }

    static let ingressCreate: Step = { tree, _ in
        tree.rename(["ingress_controller", "create"], to: "install")
        tree.remove(["ingress_controller", "gke_cluster_uuid"], reason: "not used since schema 1.0")
    }

    /// `private_docker_registry` became an entry of `helm.image_registries`.
    static let privateDockerRegistry: Step = { tree, _ in
        guard let legacy = tree.value(["private_docker_registry"]) else { return }
        let server = legacy["server"]?.text ?? ""
        let line = tree.line(["private_docker_registry"])
        tree.drop(["private_docker_registry"])
        guard !server.isEmpty else {
            tree.changes.append(MigrationChange(kind: .removed, path: "private_docker_registry", to: nil, line: line,
                                                reason: "no server was set"))
            return
        }
        var registries = tree.value(["helm", "image_registries"])?.elements ?? []
        if registries.contains(where: { $0["server"]?.text == server }) {
            tree.changes.append(MigrationChange(kind: .removed, path: "private_docker_registry", to: nil, line: line,
                                                reason: "`\(server)` is already in helm.image_registries"))
            return
        }
        registries.append(Instance(.object(["server", "username", "password"].map {
            Member(key: $0, value: legacy[$0] ?? Instance(.string("")))
        })))
        tree.set(["helm", "image_registries"], Instance(.array(registries)))
        tree.changes.append(MigrationChange(kind: .moved, path: "private_docker_registry",
                                            to: "helm.image_registries[\(registries.count - 1)]", line: line, reason: ""))
    }

    static let helm2Keys: Step = { tree, _ in
        for key in ["tiller_image", "appr_registry", "appr_insecure", "appr_username", "appr_password"] {
            tree.remove(["helm", key], reason: "Helm 2 and its app registry are gone; charts ship inside the installer image")
        }
    }

    static let podSecurityPolicies: Step = { tree, _ in
        for key in ["enable_pod_security_policies", "create_restricted_pod_security_policy"] {
            tree.remove([key], reason: "pod security policies were removed in Kubernetes 1.25; pods carry security contexts")
        }
    }

    /// Git's volume now uses the block storage class.
    static let gitStorageClass: Step = { tree, _ in
        guard let git = tree.value(["git"]) else { return }
        let gitClass = git["storage_class"]?.text ?? ""
        let block = tree.value(["storage_classes", "block", "name"])?.text ?? ""
        if gitClass.isEmpty || gitClass == block {
            tree.remove(["git"], reason: "Git uses the block storage class (`storage_classes.block.name`)")
        } else {
            tree.remove(["git"], .unmapped, reason: "Git now uses the block storage class `\(block)`, not `\(gitClass)`; "
                        + "to keep `\(gitClass)`, make it the block class")
        }
    }

    static let spotinstController: Step = { tree, _ in
        guard let spot = tree.value(["spotinst_controller"]) else { return }
        if spot["enabled"]?.text == "true" {
            tree.remove(["spotinst_controller"], .unmapped, reason: "the Spot controller is no longer installed with the platform; install it separately")
        } else {
            tree.remove(["spotinst_controller"], reason: "was disabled, and is no longer part of the schema")
        }
    }

    static let podCIDR: Step = { tree, _ in
        guard let cidr = tree.value(["pod_cidr"])?.text else { return }
        tree.remove(["pod_cidr"], .unmapped, reason: "no 1.14 key; put the pod network (`\(cidr)`) in "
                    + "release_overrides.nginx-ingress.chart_values.networkPolicy.ipCidrs")
    }

    static let accessModes: Step = { tree, _ in
        for kind in ["block", "shared"] {
            tree.remove(["storage_classes", kind, "access_modes"], reason: "fixed by the class's role (block ReadWriteOnce, shared ReadWriteMany)")
        }
    }

    static let blobDefault: Step = { tree, _ in
        guard let legacy = tree.value(["blob_storage", "default"]) else { return }
        let type = legacy["type"]?.text ?? "shared"
        let filled = ["s3", "azure", "gcs"].contains { section in
            (legacy[section]?.members ?? []).contains { !($0.value.text ?? "").isEmpty }
        }
        if type == "shared", !filled {
            tree.remove(["blob_storage", "default"], reason: "each store (projects, logs, backups) is configured on its own")
        } else {
            tree.remove(["blob_storage", "default"], .unmapped, reason: "each store is configured on its own; copy its `\(type)` settings to blob_storage.projects, logs or backups")
        }
    }

    /// Sections that had an `enabled` switch are now on when present.
    static let enabledSwitches: Step = { tree, _ in
        for section in ["autoscaler", "external_dns", "teleport_kube_agent"] {
            guard let enabled = tree.value([section, "enabled"])?.text else { continue }
            if enabled == "false" {
                tree.remove([section], reason: "was disabled (`enabled: false`); in 1.14 a section that is present is in use")
            } else {
                tree.remove([section, "enabled"], reason: "in 1.14 a section that is present is in use")
            }
        }
    }

    static let emptyAutoscalingGroups: Step = { tree, _ in
        guard let groups = tree.value(["autoscaler", "groups"])?.elements else { return }
        let kept = groups.filter { !($0["name"]?.text ?? "").isEmpty }
        guard kept.count != groups.count else { return }
        tree.record(.changed, ["autoscaler", "groups"], reason: "dropped \(groups.count - kept.count) group(s) without a name")
        tree.set(["autoscaler", "groups"], Instance(.array(kept)))
    }

    static let emailEncryption: Step = { tree, _ in
        guard let encryption = tree.value(["email_notifications", "encryption"])?.text else { return }
        let ssl = ["ssl", "tls", "starttls"].contains(encryption.lowercased())
        tree.record(.renamed, ["email_notifications", "encryption"], to: ["email_notifications", "enable_ssl"],
                    reason: "`encryption: \(encryption)` → `enable_ssl: \(ssl)`")
        tree.drop(["email_notifications", "encryption"])
        tree.set(["email_notifications", "enable_ssl"], Instance(.untyped(ssl ? "true" : "false")))
    }

    /// Configs from before 5.11 (schema 1.9) get the extended catalog, as the 5.11 migration did.
    static let extendedCatalog: Step = { tree, from in
        guard tree.member(["extended_catalog"]) == nil, let minor = Int(from.split(separator: ".").last ?? ""), minor < 9 else { return }
        tree.set(["extended_catalog"], Instance(.untyped("true")))
        tree.record(.added, ["extended_catalog"], reason: "`true`, as migrating a config from before 5.11 always has")
    }

    static let platformVersion: Step = { tree, _ in
        let supported = ["6.1.0", "6.1.1", "6.1.2"]
        let version = tree.value(["version"])?.text ?? ""
        guard !supported.contains(version) else { return }
        tree.set(["version"], Instance(.untyped(supported.last!)))
        tree.record(.changed, ["version"], reason: "`\(version)` → `\(supported.last!)`: schema 1.14 installs 6.1.x (choose the patch you install)")
    }

    /// Installs before the registry choice existed ran the in-cluster registry, and upgrades must keep it.
    static let registryChoice: Step = { tree, _ in
        let controlPlane = tree.value(["control_plane"])?.text != "false"
        guard controlPlane, tree.member(["internal_docker_registry"]) == nil,
              (tree.value(["external_docker_registry"])?.text ?? "").isEmpty else { return }
        tree.set(["internal_docker_registry"], Instance(.object([])))
        tree.record(.added, ["internal_docker_registry"], reason: "`{}`: the in-cluster registry this install has been using (upgrades keep it)")
    }
}
