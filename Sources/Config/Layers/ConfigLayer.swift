import Diagnostics
import Schema

/// One layer of a config: a preset, the user's file, or the `--set` flags. Layers are merged in order:
/// preset(s) → the user's file → `--set`. Mappings merge key by key, lists and scalars replace, and an explicit
/// `null` removes the key.
public struct ConfigLayer: Sendable {
    public let kind: ValueOrigin.Kind
    public let file: String?
    public let source: SourceText?
    public let root: Instance
    init(kind: ValueOrigin.Kind, file: String?, source: SourceText?, root: Instance) {
        self.kind = kind
        self.file = file
        self.source = source
        self.root = root
    }

    func origin(at _: KeyPath, _ location: SourceLocation?, removed: Bool = false) -> ValueOrigin {
        ValueOrigin(kind: kind, file: file, location: location, removed: removed, flag: kind == .flag ? "kiln init --offline" : nil)
    }
}
