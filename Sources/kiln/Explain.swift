import ArgumentParser
import Config
import Manifests
import Platform
import Diagnostics
import Schema

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Document one config key, or one diagnostic code.",
        discussion: """
            KEY is a dotted path: `storage_classes.block.name`, `helm.image_registries[].server`, \
            `release_overrides.nginx-ingress.chart_values`. Prints its type, whether it is required, allowed values, \
            form, default, description and the reference page it comes from; for a section, its keys.

            A code such as KILN-R003 prints what the rule checks. `kiln explain --list-codes` lists every code.

            `kiln explain waves` prints kiln's rules per kind: the order kinds are applied in, their apply stage, which \
            kinds a prune spares, which --force never recreates, and the fields drift leaves to their controllers.
            """
    )

    @Argument(help: "A config key path, or a diagnostic code such as KILN-R003.")
    var subject: String?

    @Flag(help: "List every diagnostic code with its summary.")
    var listCodes = false

    @Flag(help: "List every key of schema 1.14 that holds a value (sections are walked, not listed).")
    var listKeys = false

    @Option(help: ArgumentHelp("Also show the key's value in this config, and which layer set it.", valueName: "file"))
    var config: String?

    @OptionGroup var layers: LayerOptions

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if subject == nil, !listCodes, !listKeys { throw ValidationError("name a key (e.g. storage_classes.block.name) or a code (e.g. KILN-R003)") }
    }

    func run() throws {
        if listKeys {
            let keys = InstallConfigSchema.shared.leaves.map(\.path.patternDescription)
            if output.format == .json { printJSON(keys) } else { keys.forEach { print($0) } }
            return
        }
        if listCodes {
            let codes = KilnCodes.all
            if output.format == .json {
                printJSON(codes.map { CodeOutput(code: $0.code, kind: $0.kind, summary: $0.summary, reference: $0.reference) })
            } else {
                for c in codes { print("\(c.code)  \(c.summary)") }
            }
            return
        }
        guard let subject else { return }
        if subject == "waves" || subject == "kinds" {
            KindRulesReport.print(format: output.format)
            return
        }
        if subject.range(of: "^KILN-[A-Za-z][0-9]{3}$", options: [.regularExpression, .caseInsensitive]) != nil {
            guard let code = KilnCodes.explain(subject) else {
                printError("unknown code \(subject); `kiln explain --list-codes` lists them")
                throw ExitCode(1)
            }
            if output.format == .json {
                printJSON(CodeOutput(code: code.code, kind: code.kind, summary: code.summary, reference: code.reference))
            } else {
                print("\(code.code) (\(code.kind))\n  \(code.summary)")
                if let r = code.reference { print("  reference: \(r)") }
            }
            return
        }
        switch KeyExplanation.explain(subject) {
        case .failure(let unknown):
            var message = "unknown key `\(unknown.path)`"
            if let guess = unknown.suggestion {
                message += "; did you mean `\(unknown.parent.isEmpty ? guess : unknown.parent + "." + guess)`?"
            } else if !unknown.known.isEmpty, unknown.known.count <= 40 {
                message += "\n  keys\(unknown.parent.isEmpty ? "" : " of " + unknown.parent): " + unknown.known.joined(separator: ", ")
            }
            printError(message)
            throw ExitCode(1)
        case .success(let e):
            let provenance = try config.map(provenance(in:))
            let landing = try landing()
            if output.format == .json {
                var out = KeyOutput(e)
                out.value = provenance?.value
                out.origin = provenance?.origin
                out.landing = landing.map(LandingOutput.init)
                printJSON(out)
            } else {
                var text = render(e)
                if let provenance, let config {
                    text += "\n\n  in \(config):\n    value:  \(provenance.value)\n    origin: \(provenance.origin)"
                }
                if let landing { text += "\n\n" + landing.text }
                print(text)
            }
        }
    }

    /// Where the key lands: in `--config`, else in the first built-in example where it does. nil for a section.
    private func landing() throws -> KeyLandingReport? {
        let pattern = KeyPath(parsing: subject ?? "").pattern
        guard let leaf = InstallConfigSchema.shared.leaves.first(where: { $0.path == pattern }) else { return nil }
        if let reason = InertKeys.reason(leaf.path.patternDescription) { return KeyLandingReport(inert: reason) }
        if let config {
            let root = try loaded(config).root ?? Instance(.object([]))
            return KeyLandingReport(config: config, outcome: KeyLanding.landing(of: leaf, in: root))
        }
        let found = ReferenceConfigs.landing(of: leaf)
        return KeyLandingReport(config: found.config, outcome: found.outcome)
    }

    /// The value of the key in `--config`, layered as `validate` would layer it.
    private func provenance(in path: String) throws -> ValueProvenance {
        guard let layered = try loaded(path).layered else { throw ExitCode(1) }
        return ValueProvenance(KeyPath(parsing: subject ?? ""), in: layered)
    }

    private func loaded(_ path: String) throws -> LoadedConfig {
        let loaded = ConfigLoader.load(layers.request(path))
        guard loaded.layered != nil, !loaded.diagnostics.hasErrors else {
            printError(loaded.diagnostics.first.map { "\(path): \($0.message)" } ?? "cannot read \(path)")
            throw ExitCode(1)
        }
        return loaded
    }

    private func render(_ e: KeyExplanation) -> String {
        var lines = [e.path]
        func row(_ label: String, _ value: String?) {
            if let value, !value.isEmpty { lines.append("  " + (label + ":").padding(toLength: 11, withPad: " ", startingAt: 0) + value) }
        }
        row("type", e.types.joined(separator: " or "))
        row("required", e.required)
        row("allowed", e.allowedValues.map { "`\($0)`" }.joined(separator: ", "))
        row("form", e.form)
        row("default", e.defaultValue.map { "`\($0)`" })
        row("secret", e.secret ? "yes: never printed; use ${env:NAME} or ${file:PATH}" : nil)
        row("extension", e.kilnExtension ? "a kiln extension, not part of the reference schema" : nil)
        if !e.description.isEmpty { lines.append(""); lines.append(wrap(e.description, indent: "  ")) }
        if !e.keys.isEmpty {
            lines.append("")
            lines.append("  keys:")
            let width = min(32, (e.keys.map(\.name.count).max() ?? 0) + 2)
            for (name, summary) in e.keys {
                lines.append("    " + name.padding(toLength: max(width, name.count + 1), withPad: " ", startingAt: 0) + summary)
            }
        }
        if let r = e.reference { lines.append(""); lines.append("  reference: \(r)") }
        return lines.joined(separator: "\n")
    }

    private func wrap(_ text: String, indent: String, width: Int = 100) -> String {
        var lines: [String] = []
        var line = indent
        for word in text.split(separator: " ") {
            if line.count + word.count + 1 > width, line != indent {
                lines.append(line)
                line = indent
            }
            line += (line == indent ? "" : " ") + word
        }
        lines.append(line)
        return lines.joined(separator: "\n")
    }
}

struct CodeOutput: Encodable {
    var code: String
    var kind: String
    var summary: String
    var reference: String?
}

struct KeyOutput: Encodable {
    struct Key: Encodable {
        var name: String
        var summary: String
    }

    var path: String
    var types: [String]
    var required: String
    var allowed: [String]
    var form: String?
    var `default`: String?
    var secret: Bool
    var description: String
    var reference: String?
    var keys: [Key]
    var value: String?
    var origin: String?
    var landing: LandingOutput?

    init(_ e: KeyExplanation) {
        path = e.path
        types = e.types
        required = e.required
        allowed = e.allowedValues
        form = e.form
        self.default = e.defaultValue
        secret = e.secret
        description = e.description
        reference = e.reference
        keys = e.keys.map { Key(name: $0.name, summary: $0.summary) }
    }
}
