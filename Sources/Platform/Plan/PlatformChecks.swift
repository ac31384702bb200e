import Config
import Diagnostics
import Schema

/// The release catalog's checks of a config, run by `kiln validate` after schema 1.14 and the semantic rules.
public enum PlatformChecks {
    /// `kiln validate`: the config's own checks, then these.
    public static func validate(_ request: ConfigRequest) -> ValidationReport {
        ConfigValidation.validate(ConfigLoader.load(request), also: [check])
    }

    public static func validate(_ file: ConfigFile) -> ValidationReport {
        ConfigValidation.validate(ConfigLoader.load(file), also: [check])
    }

    @Sendable public static func check(_ root: Instance) -> [Diagnostic] {
        guard root.members != nil else { return [] }
        let config = ConfigView(root)
        let plan = ReleasePlan(config)
        return overrides(root, config) + compatibility(plan, config) + dependencies(plan, config)
            + planeOverrides(plan, config) + SizingChecks.check(config, plan: plan)
    }

    /// Every `release_overrides` key names a release, and its `chart_values` fit that release's values schema.
    static func overrides(_ root: Instance, _ config: ConfigView) -> [Diagnostic] {
        guard let overrides = root["release_overrides"]?.members else { return [] }
        var out: [Diagnostic] = []
        for member in overrides {
            let path = KeyPath([.key("release_overrides"), .key(member.key)])
            guard let release = ReleaseCatalog.release(member.key) else {
                out.append(.error(
                    PlatformCode.unknownRelease, "release_overrides names no release `\(member.key)`",
                    at: member.keyLocation, path: path.description,
                    help: Suggestion.closest(to: member.key, in: ReleaseCatalog.names).map { "did you mean `\($0)`?" }
                        ?? "`kiln releases FILE` lists the releases"))
                continue
            }
            guard let values = member.value["chart_values"], values.members != nil else { continue }
            do {
                let schema = try ValuesSchemaCache.shared.schema(for: release)
                out += InstallConfigSchema.validator(for: schema).validate(values, at: path.appending("chart_values"))
            } catch {
                out.append(.error(PlatformCode.unknownRelease, "values schema of \(release.name) does not compile (a kiln bug): \(error)"))
            }
        }
        return out
    }

    /// An extended release installed while `extended_catalog` is false.
    static func compatibility(_ plan: ReleasePlan, _ config: ConfigView) -> [Diagnostic] {
        plan.intents.filter(\.incompatible).map { intent in
            let key = intent.key ?? "extended_catalog"
            return .error(PlatformCode.extendedNotAllowed,
                          "\(intent.release.name) is an extended release (\(intent.reason)): \(ReleaseIntent.notCompatibleMessage)",
                          at: config.keyLocation(key), path: key,
                          help: "set `extended_catalog: true`, or switch \(intent.release.name) off")
        }
    }

    /// A release needs what it cannot run without.
    static func dependencies(_ plan: ReleasePlan, _ config: ConfigView) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for intent in plan.installed {
            for name in intent.release.requires {
                guard let needed = plan.intent(name), needed.status != .installed, !needed.otherPlane else { continue }
                let key = needed.key ?? intent.key ?? "release_overrides"
                out.append(.error(PlatformCode.missingDependency,
                                  "\(intent.release.name) needs \(name), which is not installed (\(needed.reason))",
                                  at: config.keyLocation(key), path: key,
                                  help: "install \(name), or switch \(intent.release.name) off as well"))
            }
        }
        return out
    }

    /// An `installed` override that the kind of install (control or data plane) makes meaningless.
    static func planeOverrides(_ plan: ReleasePlan, _ config: ConfigView) -> [Diagnostic] {
        plan.intents.compactMap { intent in
            guard plan.installedOverrides[intent.release.name] != nil else { return nil }
            let key = "release_overrides.\(intent.release.name).installed"
            guard intent.key != key, intent.status != .uninstalled else { return nil }
            return .warning(PlatformCode.overrideWithoutEffect,
                            "\(key) has no effect: \(intent.release.name) is \(intent.reason)", at: config.keyLocation(key), path: key)
        }
    }
}
