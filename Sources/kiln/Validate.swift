import ArgumentParser
import Config
import Platform
import Diagnostics

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check install configs against schema 1.14 and the cross-field rules.",
        discussion: """
            Reports every problem in one pass, compiler style: file:line:col, the rule code, the key path, the source \
            line, and a hint (allowed values, expected type, "did you mean"). Secret values are never shown.

            Exit status: 0 when every file is valid (warnings allowed unless --strict), 1 when any is not, 2 on usage \
            errors.
            """
    )

    @Argument(help: "Config files to check (`-` reads standard input).")
    var files: [String]

    @Flag(help: "Treat warnings as errors.")
    var strict = false

    @OptionGroup var layers: LayerOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if files.isEmpty { throw ValidationError("name at least one config file") }
    }

    func run() throws {
        let reports = files.map { PlatformChecks.validate(layers.request($0)) }
        let ok = reports.allSatisfy { $0.passes(strict: strict) }
        switch output.format {
        case .json:
            printJSON(ValidateOutput(valid: ok, files: reports.map {
                .init(file: $0.name, valid: $0.passes(strict: strict), errors: $0.diagnostics.errorCount,
                      warnings: $0.diagnostics.warningCount)
            }, diagnostics: reports.flatMap(\.diagnostics).map(DiagnosticRecord.init)))
        case .text:
            let renderer = DiagnosticRenderer(color: output.color.enabled)
            for report in reports {
                let text = renderer.text(report.diagnostics, sources: report.sources)
                if !text.isEmpty { print(text) }
                let d = report.diagnostics
                let counts = "\(d.errorCount) error\(d.errorCount == 1 ? "" : "s"), \(d.warningCount) warning\(d.warningCount == 1 ? "" : "s")"
                print("\(report.name): \(report.passes(strict: strict) ? "valid" : "invalid") (\(counts))")
            }
        }
        if !ok { throw ExitCode(1) }
    }
}

struct ValidateOutput: Encodable {
    struct File: Encodable {
        var file: String
        var valid: Bool
        var errors: Int
        var warnings: Int
    }

    var valid: Bool
    var files: [File]
    var diagnostics: [DiagnosticRecord]
}
