/// What a config means for one release: the reference's STATUS INTENT.
public enum IntentStatus: String, Sendable, Codable {
    case installed
    case notInstalled = "not installed"
    /// A deprecated release: removed where it is still installed.
    case uninstalled
}

public struct ReleaseIntent: Sendable {
    public let release: Release
    public let status: IntentStatus
    /// Which key (or rule) decided, in words: `gpu.enabled: true`, `release_overrides.falco.installed: true`.
    public let reason: String
    /// The key that decided, for errors that point at it.
    public let key: String?
    /// An extended release installed while `extended_catalog` is false.
    public let incompatible: Bool
    /// Not installed because this kind of install (control or remote data plane) never runs it: where another
    /// release depends on it, the other plane provides it.
    public let otherPlane: Bool

    /// The CORE/EXT column: `core`, `extended`, or `N/A` for uninstalled releases.
    public var catalogLabel: String { status == .uninstalled ? "N/A" : release.catalog.rawValue }

    public static let notCompatibleMessage = "** NOT COMPATIBLE with current setting: extended_catalog - false! **"
}
