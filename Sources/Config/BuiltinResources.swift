/// The schemas and presets compiled into the binary (see Plugins/EmbedResources), keyed by their path in the
/// repository: `schemas/install-config-1.14.schema.json`, `presets/eks.yaml`, …
public enum BuiltinResources {
    public static func text(_ path: String) -> String? { EmbeddedFiles.files[path] }

    public static var paths: [String] { EmbeddedFiles.files.keys.sorted() }
}
