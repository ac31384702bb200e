import Foundation

/// Renders diagnostics the way compilers do:
///
///     acme.yaml:12:11: error[KILN-R003]: storage_classes.block.name must not be empty
///        12 |     name: ""
///           |           ^
///        = help: name the block storage class, e.g. `dominodisk`
///
/// Source lines of secret values are masked, so a password never reaches a terminal or a CI log.
public struct DiagnosticRenderer: Sendable {
    public var color: Bool

    public init(color: Bool = false) {
        self.color = color
    }

    public func text(_ diagnostics: [Diagnostic], sources: [String: SourceText]) -> String {
        var out = ""
        for d in diagnostics {
            out += render(d, source: d.file.flatMap { sources[$0] })
        }
        return out
    }

    public func render(_ d: Diagnostic, source: SourceText?) -> String {
        var header = ""
        if let file = d.file {
            header += file
            if let loc = d.location { header += ":\(loc.line):\(loc.column)" }
            header += ": "
        }
        let label = "\(d.severity.rawValue)[\(d.code)]"
        header += paint(label, d.severity == .error ? "31;1" : d.severity == .warning ? "33;1" : "36;1")
        header += ": " + paint(d.message, "1")
        var lines = [header]
        if let loc = d.location, let source, let raw = source.line(loc.line) {
            let shown = d.secretValue ? Self.maskValue(in: raw) : raw
            let gutter = String(loc.line)
            let pad = String(repeating: " ", count: gutter.count)
            lines.append(" \(gutter) | \(Self.expandTabs(shown))")
            let caretColumn = Self.displayColumn(of: loc.column, in: raw)
            lines.append(" \(pad) | " + String(repeating: " ", count: caretColumn - 1) + paint("^", "32;1"))
        }
        let indent = "    "
        if !d.path.isEmpty, !d.message.contains(d.path) {
            lines.append(indent + "= key: \(d.path)")
        }
        for note in d.notes { lines.append(indent + "= note: " + note) }
        if let help = d.help { lines.append(indent + "= " + paint("help", "36") + ": " + help) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Machine-readable form: a JSON array of objects with the same fields as the text form.
    public func json(_ diagnostics: [Diagnostic]) -> String {
        let records = diagnostics.map(DiagnosticRecord.init)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(records)) ?? Data("[]".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    private func paint(_ s: String, _ code: String) -> String {
        color ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s
    }

    /// Replaces what follows `key: ` (or the `- ` of a list item) on a line with asterisks.
    static func maskValue(in line: String) -> String {
        if let colon = line.range(of: ": ") {
            return String(line[..<colon.upperBound]) + "********"
        }
        let body = line.drop { $0 == " " || $0 == "-" }
        return String(line.prefix(line.count - body.count)) + "********"
    }

    private static func expandTabs(_ s: String) -> String { s.replacingOccurrences(of: "\t", with: " ") }

    /// Column counted in characters (tabs shown as one space) for caret placement.
    private static func displayColumn(of column: Int, in line: String) -> Int {
        max(1, min(column, line.unicodeScalars.count + 1))
    }
}

/// The JSON shape of one diagnostic (`--format json`).
public struct DiagnosticRecord: Encodable, Sendable {
    var severity: String
    var code: String
    var message: String
    var file: String?
    var line: Int?
    var column: Int?
    var path: String
    var notes: [String]
    var help: String?

    public init(_ d: Diagnostic) {
        severity = d.severity.rawValue
        code = d.code
        message = d.message
        file = d.file
        line = d.location?.line
        column = d.location?.column
        path = d.path
        notes = d.notes
        help = d.help
    }
}
