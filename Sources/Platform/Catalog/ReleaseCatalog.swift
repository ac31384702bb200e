/// Every release kiln knows, and lookups by name. The order here is not the install order (see `ReleasePlan`).
public enum ReleaseCatalog {
    public static let all: [Release] = DataServices.all + PlatformServices.all + Networking.all + Observability.all
        + ComputeServices.all + DataPlaneReleases.all + ExtendedReleases.all + DeprecatedReleases.all

    static let index: [String: Release] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })

    public static func release(_ name: String) -> Release? { index[name] }

    public static var names: [String] { all.map(\.name).sorted() }
}
