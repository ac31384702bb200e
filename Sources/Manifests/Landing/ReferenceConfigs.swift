import Config
import Schema

/// The example configs compiled into kiln (`examples/*.yaml`, layered on their presets): where `kiln explain KEY`
/// looks for a key's landing when no `--config` is given.
public enum ReferenceConfigs {
    public static let all: [(name: String, root: Instance)] = BuiltinResources.paths
        .filter { $0.hasPrefix("examples/") && $0.hasSuffix(".yaml") }
        .compactMap { path in
            guard let text = BuiltinResources.text(path) else { return nil }
            return ConfigLoader.load(ConfigFile.parse(text, name: path)).root.map { (path, $0) }
        }

    /// The first reference config in which `leaf` lands, with the landing; else the most telling other outcome.
    public static func landing(of leaf: SchemaLeaf) -> (config: String?, outcome: KeyLanding.Outcome) {
        var best: (config: String?, outcome: KeyLanding.Outcome) = (nil, .notApplicable)
        for (name, root) in all {
            let outcome = KeyLanding.landing(of: leaf, in: root)
            if case .lands = outcome { return (name, outcome) }
            if outcome.rank > best.outcome.rank { best = (name, outcome) }
        }
        return best
    }
}

extension KeyLanding.Outcome {
    /// How much an outcome says about a key: a landing, then "no effect", then "no valid change".
    var rank: Int {
        switch self {
        case .lands: return 3
        case .noEffect: return 2
        case .noValidChange: return 1
        case .notApplicable: return 0
        }
    }
}
