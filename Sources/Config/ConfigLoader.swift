import Diagnostics
import Schema
import YAML

/// What to load: a config file, optionally layered on a preset and overridden by `--set` flags.
public struct ConfigRequest: Sendable {
    public var path: String
    /// `--preset`; when nil, the file's own `preset:` key (if any) names it.
    public var preset: String?
    public var sets: [String]

    public init(path: String, preset: String? = nil, sets: [String] = []) {
        self.path = path
        self.preset = preset
        self.sets = sets
    }
}

/// A config ready for validation: its layers merged, with what went wrong while loading them.
public struct LoadedConfig: Sendable {
    /// The user's file, as named on the command line.
    public let name: String
    public let layered: LayeredConfig?
    public let diagnostics: [Diagnostic]
    public let sources: [String: SourceText]

    public var root: Instance? { layered?.root }
}

/// Layers a config: built-in defaults (the schema's, read through `ConfigView`) → preset → the user's file →
/// `--set`, remembering where each value came from.
public enum ConfigLoader {
    public static func load(_ request: ConfigRequest) -> LoadedConfig {
        load(ConfigFile.load(path: request.path), preset: request.preset, sets: request.sets)
    }

    public static func load(_ file: ConfigFile, preset: String? = nil, sets: [String] = []) -> LoadedConfig {
        var sources = [file.name: file.source]
        guard let root = file.root, !file.diagnostics.hasErrors else {
            return LoadedConfig(name: file.name, layered: nil, diagnostics: file.diagnostics, sources: sources)
        }
        var diagnostics = file.diagnostics
        var layers: [ConfigLayer] = []
        let presetName = preset ?? root["preset"]?.text
        if let presetName {
            do {
                layers = try PresetCatalog.layers(presetName)
            } catch let failure as PresetCatalog.Failure {
                var d = failure.diagnostic
                if preset == nil, let member = root.members?.first(where: { $0.key == "preset" }) {
                    d.location = member.value.location
                    d.path = "preset"
                }
                diagnostics.append(d.inFile(file.name))
            } catch {}
        }
        layers.append(ConfigLayer(kind: .file, file: file.name, source: file.source, root: root))
        var flags: [SetFlag] = []
        for text in sets {
            do { flags.append(try SetFlag(text)) } catch {
                diagnostics.append(Diagnostic.error(ConfigCode.badFlag, "\(error)",
                                                    help: "write --set KEY.PATH=VALUE, e.g. --set storage_classes.block.name=gp3"))
            }
        }
        let layered = LayeredConfig(layers: layers, flags: flags)
        for (name, text) in layered.sources { sources[name] = text }
        return LoadedConfig(name: file.name, layered: layered, diagnostics: diagnostics, sources: sources)
    }
}
