/// The labels every rendered object carries: the `app.kubernetes.io/*` set, and kiln's own: which release owns the
/// object, and (stamped once the release is rendered, `ReleaseRevision`) a digest of that release's objects.
public struct ObjectLabels: Sendable {
    public static let release = "kiln.dev/release"
    public static let configRevision = "kiln.dev/config-revision"

    let installName: String
    let version: String

    /// Labels for an object of `release`; `name` is the workload or object name.
    func labels(release: String, name: String) -> [String: String] {
        [
            "app.kubernetes.io/name": name,
            "app.kubernetes.io/instance": release,
            "app.kubernetes.io/component": name == release ? "main" : name,
            "app.kubernetes.io/part-of": installName,
            "app.kubernetes.io/managed-by": "kiln",
            "app.kubernetes.io/version": version,
            Self.release: release,
        ]
    }

    /// What selects a workload's pods: stable across config revisions and versions.
    static func selector(release: String, name: String) -> [String: String] {
        ["app.kubernetes.io/instance": release, "app.kubernetes.io/name": name]
    }
}
