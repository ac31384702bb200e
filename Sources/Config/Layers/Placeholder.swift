import Diagnostics
import Schema

/// A value the user must supply, written by presets and `kiln init` as `"<FILL IN: what goes here>"`.
/// `kiln validate` reports every one left as an error (KILN-C004) at its line.
public enum Placeholder {
    public static let prefix = "<FILL IN: "

    public static func isPlaceholder(_ text: String) -> Bool {
        text.hasPrefix(prefix) && text.hasSuffix(">")
    }

    /// What the placeholder asks for.
    public static func hint(_ text: String) -> String {
        String(text.dropFirst(prefix.count).dropLast())
    }

    public static func make(_ hint: String) -> String { prefix + hint + ">" }

    /// Every placeholder left in a config, with its path.
    public static func all(in root: Instance) -> [(path: KeyPath, value: Instance)] {
        var found: [(KeyPath, Instance)] = []
        func walk(_ node: Instance, _ path: KeyPath) {
            switch node.content {
            case .string(let s), .untyped(let s): if isPlaceholder(s) { found.append((path, node)) }
            case .array(let items): for (i, item) in items.enumerated() { walk(item, path.appending(index: i)) }
            case .object(let members): for m in members { walk(m.value, path.appending(m.key)) }
            default: break
            }
        }
        walk(root, .root)
        return found
    }

    static func diagnostics(in root: Instance) -> [Diagnostic] {
        all(in: root).map { path, value in
            .error(ConfigCode.placeholder, "`\(path)` is not filled in: \(hint(value.text ?? ""))", at: value.location,
                   path: path.description,
                   help: "replace the placeholder, or pass `--set \(path)=VALUE`")
        }
    }
}
