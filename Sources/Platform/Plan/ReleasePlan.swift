import Config

/// Which releases a config installs, does not install or removes, why, and in what order they install.
public struct ReleasePlan: Sendable {
    /// Every release of the catalog, in name order.
    public let intents: [ReleaseIntent]
    /// The installed releases, dependencies first.
    public let installOrder: [Release]
    /// The same, in levels: each level needs only the levels before it.
    public let installLevels: [[Release]]
    /// `release_overrides.<release>.installed` as the config sets it.
    public let installedOverrides: [String: Bool]

    public init(_ config: ConfigView) {
        let extendedAllowed = config.bool(.extendedCatalog)
        let dataPlaneOnly = config.isDataPlaneOnly
        var overrides: [String: Bool] = [:]
        for member in config.instance(.releaseOverrides)?.members ?? [] where member.value["installed"] != nil {
            overrides[member.key] = config.bool("release_overrides.\(member.key).installed")
        }
        installedOverrides = overrides
        intents = ReleaseCatalog.byName.map { release in
            let (status, reason, key) = Self.decide(release, config, dataPlaneOnly: dataPlaneOnly, override: overrides[release.name])
            return ReleaseIntent(release: release, status: status, reason: reason, key: key,
                                 incompatible: status == .installed && release.catalog == .extended && !extendedAllowed,
                                 otherPlane: !Self.runs(release, dataPlaneOnly: dataPlaneOnly))
        }
        installed = intents.filter { $0.status == .installed }
        installLevels = DependencyGraph.levels(installed.map(\.release))
        installOrder = installLevels.flatMap { $0 }
    }

    public func intent(_ name: String) -> ReleaseIntent? { intents.first { $0.release.name == name } }

    /// The installed releases' intents, in name order (kept: the render asks for them once per release).
    public let installed: [ReleaseIntent]

    static func runs(_ release: Release, dataPlaneOnly: Bool) -> Bool {
        switch release.planes {
        case .all: return true
        case .controlPlane: return !dataPlaneOnly
        case .remoteDataPlane: return dataPlaneOnly
        }
    }

    static func decide(_ release: Release, _ config: ConfigView, dataPlaneOnly: Bool, override: Bool?)
        -> (IntentStatus, String, String?) {
        if release.deprecated { return (.uninstalled, "deprecated: removed where it is still installed", nil) }
        if !runs(release, dataPlaneOnly: dataPlaneOnly) {
            return dataPlaneOnly ? (.notInstalled, "control plane only (this is a data-plane install)", "control_plane")
                : (.notInstalled, "remote data planes only", nil)
        }
        if let on = override {
            let key = "release_overrides.\(release.name).installed"
            return (on ? .installed : .notInstalled, "\(key): \(on)", key)
        }
        let decision = release.decision(config)
        return (decision.enabled ? .installed : .notInstalled, decision.reason, decision.key)
    }
}
