import Foundation
import Diagnostics

/// Control-plane and data-plane installs.
enum PlaneRules {
    static let all = [dataPlaneOmits, planeTypes, dataPlaneName]

    /// Sections a data-plane-only install leaves out (the control plane owns them).
    static let controlPlaneSections = ["email_notifications", "intercom", "mixpanel", "blob_storage",
                                       "internal_docker_registry", "external_docker_registry", "monitoring", "nexus"]

    static let dataPlaneOmits = SemanticRule(
        "KILN-R009",
        "A data-plane-only install leaves out email_notifications, telemetry (intercom, mixpanel), blob_storage, the docker registries and monitoring.",
        reference: "admin_guide/installation/manage-deployments/index.txt"
    ) { rule, config in
        guard config.isDataPlaneOnly else { return [] }
        return controlPlaneSections.filter { config.has($0) && !config.isNull($0) }.map {
            rule.error(config, $0, "`\($0)` belongs to the control plane; a data-plane install leaves it out",
                                 help: "remove the `\($0)` section from this data-plane config")
        }
    }

    static let planeTypes = SemanticRule(
        "KILN-R010",
        "`control_plane: false` goes with `data_plane.type: remote`, and a control plane's own data plane is `local`.",
        reference: "admin_guide/configuration/installer-configuration.txt"
    ) { rule, config in
        let controlPlane = config.bool(.controlPlane)
        let type = config.string(.dataPlaneType) ?? "local"
        if !controlPlane, type != "remote" {
            return [rule.error(config, "data_plane.type", "a data-plane-only install (`control_plane: false`) needs `data_plane.type: remote`",
                                     help: "add `data_plane: {type: remote}`")]
        }
        if controlPlane, type == "remote" {
            return [rule.error(config, "data_plane.type", "`control_plane: true` always installs a local data plane; `remote` is for data-plane-only installs",
                                     help: "set `control_plane: false` for a data-plane install, or `data_plane.type: local`")]
        }
        return []
    }

    static let dataPlaneName = SemanticRule(
        "KILN-R011",
        "On a data-plane install, `name` is the data plane's subdomain, so it must be a DNS label (no `_`, no capitals).",
        reference: "admin_guide/configuration/installer-configuration.txt"
    ) { rule, config in
        guard config.isDataPlaneOnly, let name = config.string(.name), !name.isEmpty,
              !Placeholder.isPlaceholder(name) else { return [] }
        let label = name.range(of: "^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", options: .regularExpression) != nil
        guard !label else { return [] }
        return [rule.error(config, "name", "data-plane name `\(name)` is not a DNS label",
                                    help: "use lowercase letters, digits and `-`: it becomes `\(name.lowercased().replacingOccurrences(of: "_", with: "-")).<control plane domain>`")]
    }
}
