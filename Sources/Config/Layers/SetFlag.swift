import Schema
import YAML

/// `--set key.path=value`: one value laid over the config, like Helm's `--set`.
///
/// The value is a YAML scalar typed by the schema (`--set ssl_enabled=false`, `--set name=no` is the string "no");
/// a value starting with `[`, `{` or a quote is read as YAML (`--set autoscaler.groups=[]`, `--set 'mode="0755"'`);
/// `null` removes the key. List items are addressed by index: `helm.image_registries[0].password=…`.
public struct SetFlag: Sendable {
    public let text: String
    public let path: KeyPath
    public let value: Instance

    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
    }

    public init(_ text: String) throws {
        guard let eq = text.firstIndex(of: "="), eq != text.startIndex else {
            throw Invalid(description: "--set \(text): expected KEY.PATH=VALUE")
        }
        self.text = text
        path = KeyPath(parsing: String(text[..<eq]))
        guard !path.components.isEmpty, !path.components.contains(.index(-1)) else {
            throw Invalid(description: "--set \(text): the key path is not valid")
        }
        let raw = String(text[text.index(after: eq)...])
        if let first = raw.first, "[{\"'".contains(first) {
            let (node, diagnostics) = YAMLParser.parseDocument(Array(raw.utf8))
            guard let node, !diagnostics.contains(where: { $0.severity == .error }) else {
                throw Invalid(description: "--set \(text): the value is not valid YAML: \(diagnostics.first?.message ?? "")")
            }
            value = InstanceBuilder.instance(node, keepLocations: false)
        } else {
            value = Instance(.untyped(raw))
        }
    }

    /// The tree with this flag's value at its path: mappings and list items on the way are created as needed;
    /// `null` removes the key.
    func applied(to root: Instance) -> Instance {
        root.setting(LayeredConfig.isNull(value) ? nil : value, at: path)
    }
}
