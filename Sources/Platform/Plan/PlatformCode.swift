import Config

/// Diagnostic codes of the release catalog's checks. Stable: documentation and tests refer to them.
public enum PlatformCode {
    public static let unknownRelease = "KILN-P001"
    public static let extendedNotAllowed = "KILN-P003"
    public static let missingDependency = "KILN-P004"
    public static let overrideWithoutEffect = "KILN-P005"
    public static let profileTooSmall = "KILN-P006"
    public static let doesNotFit = "KILN-P007"
    public static let databaseLimits = "KILN-P008"

    public static let summaries: [(code: String, summary: String)] = [
        (unknownRelease, "`release_overrides` names a release the catalog does not have (the message suggests the closest name)."),
        (extendedNotAllowed, "An extended-catalog release is installed while `extended_catalog` is false: ** NOT COMPATIBLE with current setting: extended_catalog - false! **"),
        (missingDependency, "A release is installed but a release it cannot run without is switched off."),
        (overrideWithoutEffect, "`release_overrides.<release>.installed` names a release that this kind of install (control or data plane) never runs."),
        (profileTooSmall, "`sizing.profile` supports fewer concurrent executions than `sizing.max_concurrent_executions` asks for."),
        (doesNotFit, "The platform's requests do not fit the sizing profile's platform nodes (`kiln size` names the largest consumers)."),
        (databaseLimits, "`chart_values` give limits to a database or search system; their data integrity depends on running without limits."),
    ]
}
