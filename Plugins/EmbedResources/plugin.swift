import Foundation
import PackagePlugin

/// Embeds the package's `schemas/`, `presets/` and `examples/` into the target that uses this plugin, as `EmbeddedFiles.files`
/// (path relative to the package root → text). Rebuilds when any of those files changes.
@main
struct EmbedResources: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let root = context.package.directoryURL
        var inputs: [URL] = []
        for folder in ["schemas", "schemas/values", "presets", "examples"] {
            let dir = root.appending(path: folder)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
            inputs += names.filter { $0.hasSuffix(".json") || $0.hasSuffix(".yaml") }.sorted()
                .map { dir.appending(path: $0) }
        }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedFiles.swift")
        return [.buildCommand(
            displayName: "Embedding schemas and presets into \(target.name)",
            executable: try context.tool(named: "kiln-embed").url,
            arguments: [output.path, "EmbeddedFiles", root.path] + inputs.map(\.path),
            inputFiles: inputs,
            outputFiles: [output]
        )]
    }
}
