import ArgumentParser
import Config
import Foundation

/// The `kiln` command. Exit codes are part of the interface: 0 ok, 1 the input is invalid or a check failed,
/// 2 usage error, 3 cluster or registry unreachable or refused.
@main
struct Kiln: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kiln",
        abstract: "Compile an ML platform's install configuration into Kubernetes manifests, and apply them.",
        discussion: """
            Exit codes: 0 success, 1 invalid input or failed check, 2 usage error, 3 cluster or registry unreachable \
            (or refusing the credentials). `kiln diff` and `kiln drift` exit 1 for differences, as `kubectl diff`.

            Run `kiln explain KEY` for any config key and `kiln explain KILN-R003` for any diagnostic code.
            """,
        subcommands: [Init.self, Validate.self, Explain.self, Releases.self, Size.self, Render.self, ImagesCommand.self, BundleCommand.self, ApplyCommand.self, DiffCommand.self,
                      StatusCommand.self, DriftCommand.self, PreflightCommand.self, UpgradeCommand.self, AdoptCommand.self, Migrate.self, SchemaCommand.self, Version.self,
                      // The operator and its admin's commands.
                      OperatorCommand.self, BootstrapCommand.self, GetCommand.self, SuspendCommand.self, ResumeCommand.self,
                      ReconcileCommand.self, LogsCommand.self]
    )

    static func main() async {
        compileSchemaAside()
        do {
            var command: ParsableCommand
            if let direct = parsedDirectly() { command = direct } else { command = try parseAsRoot() }
            if var cluster = command as? AsyncParsableCommand {
                try await cluster.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            // argument-parser reports usage errors as 64 (EX_USAGE); kiln's interface says 2.
            let mapped: Int32 = code == .success ? 0 : (error is ExitCode ? code.rawValue : 2)
            let message = fullMessage(for: error)
            if !message.isEmpty {
                if mapped == 0 { print(message) } else { FileHandle.standardError.write(Data((message + "\n").utf8)) }
            }
            Foundation.exit(mapped)
        }
    }
}

extension Kiln {
    /// `kiln SUBCOMMAND ARGS…` for a subcommand without subcommands of its own, parsed by that subcommand alone: a
    /// parse from the root walks the whole command tree (every option of every command, by reflection) before it
    /// looks at the arguments, a fifth of `kiln render`'s time. nil where that parse does not give the subcommand (help, a
    /// usage error): those go the usual way, from the root, so messages and usage lines stay the same.
    static func parsedDirectly(_ arguments: [String] = Array(CommandLine.arguments.dropFirst())) -> ParsableCommand? {
        guard let name = arguments.first,
              let subcommand = configuration.subcommands.first(where: { $0.configuration.commandName == name }),
              subcommand.configuration.subcommands.isEmpty else { return nil }
        // Help comes back as argument-parser's own help command (which would print a usage without `kiln`).
        guard let parsed = try? subcommand.parseAsRoot(Array(arguments.dropFirst())), type(of: parsed) == subcommand else { return nil }
        return parsed
    }
}

extension Kiln {
    /// Compiles the install-config schema on another core while this one parses the arguments (~3 ms each): nearly
    /// every command reads a config. The first reader that needs it before then waits for this compile, not another.
    static func compileSchemaAside(_ arguments: [String] = Array(CommandLine.arguments.dropFirst())) {
        guard let command = arguments.first, !["version", "help", "-h", "--help"].contains(command) else { return }
        #if canImport(Glibc)
        // A plain POSIX thread: Foundation's `Thread` took 1–1.5 ms to start its first one on Linux, and validation
        // then waited that long for the schema.
        var thread = pthread_t()
        let started = pthread_create(&thread, nil, { _ in
            _ = InstallConfigSchema.shared
            return nil
        }, nil)
        if started == 0 { pthread_detach(thread) }
        #else
        Thread.detachNewThread { _ = InstallConfigSchema.shared }
        #endif
    }
}

/// `--format`, shared by every command that prints results.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// `--color`.
enum ColorChoice: String, ExpressibleByArgument, CaseIterable {
    case auto, always, never

    /// `auto` colours only a terminal, and honours NO_COLOR and TERM=dumb.
    var enabled: Bool {
        switch self {
        case .always: return true
        case .never: return false
        case .auto:
            let env = ProcessInfo.processInfo.environment
            return isatty(STDOUT_FILENO) == 1 && env["NO_COLOR"] == nil && env["TERM"] != "dumb"
        }
    }
}

struct OutputOptions: ParsableArguments {
    @Option(help: "Output format: text for people, json for CI pipelines.")
    var format: OutputFormat = .text

    @Option(help: "Colour the text output: auto (only on a terminal), always, never.")
    var color: ColorChoice = .auto
}

/// `--preset` and `--set`, for every command that loads a config.
struct LayerOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Layer the config on this preset (instead of the file's `preset:` key).",
                               discussion: "Presets: \(PresetCatalog.names.joined(separator: ", ")).",
                               valueName: "preset"))
    var preset: String?

    @Option(name: .customLong("set"),
            help: ArgumentHelp("Override one value: KEY.PATH=VALUE (repeatable; `null` removes the key).",
                               valueName: "key=value"))
    var sets: [String] = []

    func request(_ path: String) -> ConfigRequest {
        ConfigRequest(path: path, preset: preset, sets: sets)
    }
}

/// JSON for `--format json`: sorted keys, so output is stable; pretty unless it is one line of an event stream.
func printJSON<T: Encodable>(_ value: T, pretty: Bool = true) {
    let encoder = JSONEncoder()
    encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
    if let data = try? encoder.encode(value) { print(String(decoding: data, as: UTF8.self)) }
}
