import ArgumentParser
import Config
import Diagnostics
import Foundation

struct Migrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Rewrite a config written for an older schema (1.0 … 1.13) as a 1.14 config.",
        discussion: """
            Prints every change it makes and every key it could not map (those need a person's eye), then checks the \
            result with `kiln validate`. Without -o the migrated config goes to standard output and the changes to \
            standard error.

            A config already at 1.14 is left untouched (with -o it is copied there as it is), so migrating twice \
            changes nothing more. Comments in the original file are not carried over.

            Exit status: 0 when the migrated config is valid, 1 when it still has errors (they are listed).
            """
    )

    @Argument(help: "The config to migrate.")
    var file: String

    @Option(help: ArgumentHelp("Schema version to migrate to (only 1.14).", valueName: "version"))
    var to: String = ConfigMigration.target

    @Option(name: .shortAndLong, help: ArgumentHelp("Write the migrated config to this file.", valueName: "file"))
    var output: String?

    @Flag(help: "Replace the output file if it exists.")
    var force = false

    @OptionGroup var format: OutputOptions

    func validate() throws {
        if to != ConfigMigration.target { throw ValidationError("kiln migrates to schema \(ConfigMigration.target) only") }
    }

    func run() throws {
        let source = ConfigFile.load(path: file)
        let result: ConfigMigration.Result
        do { result = try ConfigMigration.migrate(source) } catch {
            printError("\(error)")
            throw ExitCode(1)
        }
        let migrated = result.text.map { ConfigFile.parse($0, name: output ?? file) } ?? source
        let report = ConfigValidation.validate(migrated)
        if let output {
            // An already-current config is still written to -o, unchanged, so a pipeline can count on the file
            // existing. SourceText keeps every line, so joining them gives back the bytes that were read.
            let text = result.text ?? source.source.lines.joined(separator: "\n")
            do { try FileOutput.write(text, to: output, overwrite: force) } catch {
                printError("\(error)")
                throw ExitCode(1)
            }
        }
        if format.format == .json {
            printJSON(MigrateOutput(from: result.from, to: ConfigMigration.target, changed: !result.alreadyCurrent,
                                    output: output, valid: report.isValid,
                                    changes: result.changes.map { .init($0) },
                                    diagnostics: report.diagnostics.map(DiagnosticRecord.init)))
        } else {
            var log = ""
            if result.alreadyCurrent {
                log = "\(file) is already at schema \(ConfigMigration.target); nothing to change\n"
                if let output { log += "wrote \(output) (unchanged)\n" }
            } else {
                log = "\(file): schema \(result.from) → \(ConfigMigration.target), \(result.changes.count) change(s)\n"
                log += result.changes.map { "  " + $0.description }.joined(separator: "\n") + "\n"
                if !result.unmapped.isEmpty {
                    log += "\(result.unmapped.count) key(s) could not be mapped and were left out: check them above\n"
                }
                if let output { log += "wrote \(output)\n" }
            }
            if !report.diagnostics.isEmpty {
                log += DiagnosticRenderer(color: false).text(report.diagnostics, sources: report.sources)
            }
            // The changes are the report when the config itself goes to standard output.
            if output == nil, let text = result.text {
                FileHandle.standardError.write(Data(log.utf8))
                print(text, terminator: "")
            } else {
                print(log, terminator: "")
            }
        }
        if !report.isValid { throw ExitCode(1) }
    }
}

struct MigrateOutput: Encodable {
    struct Change: Encodable {
        var kind: String
        var path: String
        var to: String?
        var line: Int?
        var reason: String

        init(_ c: MigrationChange) {
            kind = c.kind.rawValue
            path = c.path
            to = c.to
            line = c.line
            reason = c.reason
        }
    }

    var from: String
    var to: String
    var changed: Bool
    var output: String?
    var valid: Bool
    var changes: [Change]
    var diagnostics: [DiagnosticRecord]
}
