/// Every release kiln knows, and lookups by name. The order here is not the install order (see `ReleasePlan`).
public enum ReleaseCatalog {
    public static let all: [Release] = DataServices.all + PlatformServices.all + Networking.all + Observability.all
        + ComputeServices.all + DataPlaneReleases.all + ExtendedReleases.all + DeprecatedReleases.all

    /// `all` in name order (a plan lists its intents so; sorted once, not per plan).
    public static let byName: [Release] = all.sorted { $0.name < $1.name }

    static let index: [String: Release] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })

    public static func release(_ name: String) -> Release? { index[name] }

    public static var names: [String] { byName.map(\.name) }
}
