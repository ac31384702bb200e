import Platform

/// The rules `admin_guide/upgrade-domino.txt` gives an upgrade from one platform version to another: whether kiln
/// may go there, and what must be done before.
public struct UpgradePath: Sendable, Codable {
    public static let page = "admin_guide/upgrade-domino.txt"
    public static let dataPlanePage = "admin_guide/platform-management/manage-data-planes/upgrade-data-plane.txt"

    public enum Direction: String, Sendable, Codable { case upgrade, downgrade, none }

    /// A step the docs ask for before the upgrade, with the page that asks.
    public struct Precondition: Sendable, Codable, Equatable {
        public let step: String
        public let doc: String
    }

    public let from: String
    public let to: String
    public let direction: Direction
    /// Why kiln will not go there; nil when it may.
    public let refusal: String?
    public let preconditions: [Precondition]
    /// The config changes the target version needs.
    public let migration: [String]

    /// `kubernetesUpgrade`: the cluster's Kubernetes must change too (the target does not support it), which calls
    /// for maintenance mode.
    /// `configVersion`: the `version` the config file itself says, when it is not the target.
    public init(from: String, to: String, allowDowngrade: Bool, kubernetesUpgrade: Bool = false, configVersion: String? = nil) {
        self.from = from
        self.to = to
        let old = PlatformVersionNumber(from), new = PlatformVersionNumber(to)
        direction = old.flatMap { o in new.map { $0 > o ? .upgrade : $0 < o ? .downgrade : .none } } ?? .upgrade
        if new == nil || !PlatformVersion.supported.contains(to) {
            refusal = "kiln installs platform versions \(PlatformVersion.supported.joined(separator: ", ")); \(to) is not one"
        } else if old == nil {
            refusal = "\(from) is not a platform version (MAJOR.MINOR.PATCH)"
        } else if direction == .downgrade, !allowDowngrade {
            refusal = "\(to) is older than the installed \(from): a downgrade can break the databases' schemas; --allow-downgrade "
                + "to go anyway (restore the \(to) backup if it fails)"
        } else {
            refusal = nil
        }
        var steps = [
            Precondition(step: "run the Admin Toolkit and check the platform is healthy", doc: Self.page),
            Precondition(step: "back up the platform (a manual backup)", doc: "admin_guide/operations/backup-restore/run-a-manual-backup.txt"),
        ]
        if let old, old >= PlatformVersionNumber("6.0.0")! {
            steps.append(Precondition(step: "no stalled or drifted release (kiln status, kiln drift)", doc: Self.page))
        }
        if kubernetesUpgrade || (old.map { $0 < PlatformVersionNumber("5.3.0")! } ?? false) {
            steps.append(Precondition(step: "put the platform in maintenance mode: stop user executions"
                                      + (kubernetesUpgrade ? " (Kubernetes is upgraded too)" : " (upgrading from before 5.3.0)"), doc: Self.page))
        }
        if kubernetesUpgrade {
            steps.append(Precondition(step: "upgrade the infrastructure first: Kubernetes to a version \(to) supports",
                                      doc: SupportMatrix.page))
        }
        if let old, let new, new > old, new.major != old.major || new.minor - old.minor > 1 {
            steps.append(Precondition(step: "skipping minor versions widens the Kubernetes compatibility gap: check each step's table",
                                      doc: SupportMatrix.page))
        }
        preconditions = steps
        var migration = from == to ? [] : ["version: \(from) → \(to)"]
        if let configVersion, configVersion != to {
            // upgrade apply renders with the target version; the file must say so too, or its next apply goes back.
            migration.append("set `version: \(to)` in the config file (it says \(configVersion)): a later `kiln apply` of it would go back to \(configVersion)")
        }
        self.migration = migration
    }
}

/// The data-plane rule: a data plane may differ from its control plane by patch version only; otherwise it is
/// degraded and new executions are blocked.
public enum PatchSkew {
    public static func finding(dataPlane: String, controlPlane: String?) -> Finding {
        guard let controlPlane else {
            return .warn("the control plane's version is not known", "give --control-plane-version: a data plane may differ from it by patch only")
        }
        guard let dp = PlatformVersionNumber(dataPlane), let cp = PlatformVersionNumber(controlPlane) else {
            return .fail("\(dataPlane) or \(controlPlane) is not a platform version", "give MAJOR.MINOR.PATCH versions")
        }
        if dp.samePatchLine(cp) { return .pass("data plane \(dp), control plane \(cp): only the patch differs") }
        return .fail("data plane \(dp), control plane \(cp): they differ beyond the patch version, so the data plane would be degraded",
                     "upgrade the control plane first, then the data plane to \(cp.minorVersion).x")
    }
}
