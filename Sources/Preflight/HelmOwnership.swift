import Schema

/// The marks Helm leaves on what it installs (Helm 3): the release annotations it checks before it will touch an
/// object, the `managed-by: Helm` label, and its field manager.
public enum HelmOwnership {
    public static let releaseName = "meta.helm.sh/release-name"
    public static let releaseNamespace = "meta.helm.sh/release-namespace"
    public static let managedByLabel = "app.kubernetes.io/managed-by"
    public static let chartLabel = "helm.sh/chart"
    public static let fieldManager = "helm"

    public static func isHelmManaged(_ object: JSONValue) -> Bool {
        object.annotation(releaseName) != nil || object.label(managedByLabel) == "Helm" || helmManagesFields(object)
    }

    static func helmManagesFields(_ object: JSONValue) -> Bool {
        (object["metadata"]?["managedFields"]?.arrayValue ?? []).contains { $0["manager"]?.stringValue == fieldManager }
    }

    /// `namespace/name` of the release the object belongs to, when the annotations say.
    public static func release(of object: JSONValue) -> String? {
        guard let name = object.annotation(releaseName) else { return nil }
        return object.annotation(releaseNamespace).map { "\($0)/\(name)" } ?? name
    }
}
