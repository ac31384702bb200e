import Diagnostics
import Schema
import YAML

/// The presets built into kiln: `presets/<name>.yaml`, embedded at build time. A preset is a config overlay; its
/// top-level `extends: other` layers it on another preset (`eks` extends `default`, `data-plane-eks` extends
/// `data-plane`).
public enum PresetCatalog {
    public static var names: [String] {
        BuiltinResources.paths.filter { $0.hasPrefix("presets/") && $0.hasSuffix(".yaml") }
            .map { String($0.dropFirst("presets/".count).dropLast(".yaml".count)) }.sorted()
    }

    public struct Failure: Error, CustomStringConvertible {
        public let diagnostic: Diagnostic
        public var description: String { diagnostic.message }
    }

    /// The layers of preset `name`, base first.
    public static func layers(_ name: String) throws -> [ConfigLayer] {
        var chain: [ConfigLayer] = []
        var next: String? = name
        var seen = Set<String>()
        while let current = next {
            guard seen.insert(current).inserted, seen.count <= 8 else {
                throw Failure(diagnostic: .error(ConfigCode.unknownPreset, "preset \(name) extends itself"))
            }
            let path = "presets/\(current).yaml"
            guard let text = BuiltinResources.text(path) else {
                throw Failure(diagnostic: .error(
                    ConfigCode.unknownPreset, "unknown preset `\(current)`",
                    help: Suggestion.closest(to: current, in: names).map { "did you mean `\($0)`?" }
                        ?? "presets: \(names.joined(separator: ", "))"))
            }
            let (node, diagnostics) = YAMLParser.parseDocument(Array(text.utf8))
            guard let node, !diagnostics.hasErrors, var root = node.pairs.map({ _ in InstanceBuilder.instance(node) }) else {
                throw Failure(diagnostic: .error(ConfigCode.unknownPreset, "preset \(current) is not valid YAML (a kiln bug)"))
            }
            next = root["extends"]?.text
            root.content = .object((root.members ?? []).filter { $0.key != "extends" })
            chain.insert(ConfigLayer(kind: .preset(current), file: path, source: SourceText(name: path, text: text), root: root), at: 0)
        }
        return chain
    }
}
