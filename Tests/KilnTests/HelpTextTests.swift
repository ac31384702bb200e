import Foundation
import Testing

/// swift-argument-parser wraps a command's discussion to the terminal width but keeps every line break written in
/// it, so a break inside a paragraph shows as a short line in the middle of a sentence. Each paragraph of a
/// discussion must be one line of the string (blank lines between paragraphs; list and example lines indented).
struct HelpTextTests {
    static let width = 100

    /// The subcommands `kiln --help` lists.
    static func subcommands() async throws -> [String] {
        let help = try await KilnBinary.run(["--help"], environment: ["COLUMNS": "\(width)"]).stdout
        let lines = help.split(separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.firstIndex(of: "SUBCOMMANDS:") else { return [] }
        return lines[(start + 1)...].prefix { !$0.isEmpty }
            .filter { $0.hasPrefix("  ") && $0.dropFirst(2).first?.isLowercase == true }
            .map { String($0.dropFirst(2).prefix { $0 != " " }) }
    }

    /// The discussion as printed: the lines after the OVERVIEW paragraph, before USAGE.
    static func discussion(_ help: String) -> [String] {
        let lines = help.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let overviewEnd = lines.firstIndex(of: ""),
              let usage = lines.firstIndex(where: { $0.hasPrefix("USAGE:") }), usage > overviewEnd else { return [] }
        return Array(lines[(overviewEnd + 1)..<usage])
    }

    /// Lines of a paragraph that end where the wrapper would not have ended them: the next line's first word would
    /// have fitted (the wrapper breaks at the last space within `width` characters), or, plainly, a short line is
    /// followed by one that goes on in lower case.
    static func hardBreaks(_ lines: [String], width: Int) -> [String] {
        zip(lines, lines.dropFirst()).compactMap { line, next in
            guard !line.isEmpty, let first = next.first, !first.isWhitespace,
                  !["- ", "* ", "• "].contains(where: next.hasPrefix) else { return nil }
            let word = next.prefix { $0 != " " }
            let wouldFit = line.count + 1 + word.count + 1 <= width
            let goesOn = line.count < 60 && first.isLowercase
            return wouldFit || goesOn ? "\(line)⏎\(next)" : nil
        }
    }

    @Test func everyDiscussionIsWrittenAsParagraphs() async throws {
        let commands = try await [[]] + Self.subcommands().map { [$0] }
        #expect(commands.count > 10)
        var discussions = 0
        for command in commands {
            let r = try await KilnBinary.run(command + ["--help"], environment: ["COLUMNS": "\(Self.width)"])
            #expect(r.status == 0, "kiln \(command) --help: \(r.stderr)")
            let lines = Self.discussion(r.stdout)
            if !lines.isEmpty { discussions += 1 }
            let broken = Self.hardBreaks(lines, width: Self.width)
            #expect(broken.isEmpty, "kiln \(command.joined()) --help breaks a paragraph: \(broken)")
        }
        #expect(discussions > 10)
    }

    @Test func theCheckFindsABreakInsideAParagraph() {
        #expect(!Self.hardBreaks(["Prints every change it makes, then checks the", "result with `kiln validate`."], width: 100).isEmpty)
        #expect(!Self.hardBreaks(["The same config always renders the same bytes.", "--layout dir writes DIR."], width: 100).isEmpty)
        // Paragraphs, a line the wrapper ended (the next word did not fit) and indented example lines are fine.
        let full = String(repeating: "word ", count: 18) + "words"
        #expect(Self.hardBreaks([full, "continued here.", "", "Examples:", "  kiln render eks.yaml -o out",
                                 "  kiln render eks.yaml --layout stream"], width: 100).isEmpty)
    }
}
