import Diagnostics

/// Where a value in a layered config came from: a preset, the user's file, a `--set` flag, or kiln's defaults.
public struct ValueOrigin: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case preset(String)
        case file
        case flag
    }

    public let kind: Kind
    /// The file the value was written in (`presets/eks.yaml`, `acme.yaml`); nil for flags.
    public let file: String?
    public let location: SourceLocation?
    /// The layer removed the key with an explicit `null`.
    public let removed: Bool
    /// For flags: the flag as given (`--set storage_classes.block.name=gp3`).
    public let flag: String?

    public var description: String {
        let place = [file, location.map { "\($0.line)" }].compactMap { $0 }.joined(separator: ":")
        switch kind {
        case .preset(let name): return "preset \(name) (\(place))"
        case .file: return place
        case .flag: return flag ?? "--set"
        }
    }
}
