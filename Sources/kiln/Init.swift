import ArgumentParser
import Config
import Diagnostics
import Foundation

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a complete starting config for a preset.",
        discussion: """
            Every value you must supply is left as "<FILL IN: what goes here>"; `kiln validate` reports each one left \
            at its line. Fill them in the file, or here with --set.

            With --offline and --image-registry the config installs from a private registry: its credentials replace \
            the public ones and every image is pulled from it.

            Without -o the config goes to standard output. An existing file is kept unless --force; the file is written \
            whole or not at all.
            """
    )

    @Option(help: ArgumentHelp("The preset to start from.", discussion: "Presets: \(PresetCatalog.names.joined(separator: ", ")).",
                               valueName: "preset"))
    var preset: String = "default"

    @Option(name: .customLong("set"), help: ArgumentHelp("Set one value: KEY.PATH=VALUE (repeatable).", valueName: "key=value"))
    var sets: [String] = []

    @Flag(help: "Install from a private registry (needs --image-registry).")
    var offline = false

    @Option(help: ArgumentHelp("The private registry, HOST[:PORT].", valueName: "host:port"))
    var imageRegistry: String?

    @Option(help: ArgumentHelp("The installer agent's repository in the private registry, HOST[:PORT]/REPO.", valueName: "repo"))
    var agentRepository: String?

    @Option(name: .shortAndLong, help: ArgumentHelp("Write the config to this file.", valueName: "file"))
    var output: String?

    @Flag(help: "Replace the output file if it exists.")
    var force = false

    func validate() throws {
        if offline, imageRegistry == nil { throw ValidationError("--offline needs --image-registry HOST[:PORT]") }
        if !offline, imageRegistry != nil || agentRepository != nil {
            throw ValidationError("--image-registry and --agent-repository go with --offline")
        }
        if !PresetCatalog.names.contains(preset) {
            throw ValidationError("unknown preset \(preset); presets: \(PresetCatalog.names.joined(separator: ", "))")
        }
    }

    func run() throws {
        let offlineOptions = offline ? ConfigInit.Offline(imageRegistry: imageRegistry ?? "", agentRepository: agentRepository) : nil
        let result = try ConfigInit.generate(ConfigInit.Options(preset: preset, sets: sets, offline: offlineOptions))
        if result.diagnostics.hasErrors {
            let sources = ["<generated>": SourceText(name: "<generated>", text: result.text)]
            FileHandle.standardError.write(Data(DiagnosticRenderer().text(result.diagnostics, sources: sources).utf8))
            printError("the config was not written")
            throw ExitCode(1)
        }
        guard let output else {
            print(result.text, terminator: "")
            return
        }
        do {
            try FileOutput.write(result.text, to: output, overwrite: force)
        } catch {
            printError("\(error)")
            throw ExitCode(1)
        }
        let left = result.placeholders.count
        print("wrote \(output) (preset \(preset))" + (left == 0 ? "" : ": \(left) value\(left == 1 ? "" : "s") to fill in; `kiln validate \(output)` lists them"))
    }
}

struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the install-config JSON Schema (for editors: # yaml-language-server: $schema=…).")

    @Option(name: .shortAndLong, help: ArgumentHelp("Write it to this file instead.", valueName: "file"))
    var output: String?

    @Flag(help: "Replace the output file if it exists.")
    var force = false

    func run() throws {
        guard let text = BuiltinResources.text(InstallConfigSchema.resourcePath) else { throw ExitCode(1) }
        guard let output else {
            print(text, terminator: "")
            return
        }
        do { try FileOutput.write(text, to: output, overwrite: force) } catch {
            printError("\(error)")
            throw ExitCode(1)
        }
    }
}
