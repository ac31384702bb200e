/// The text of one input file, split into lines once, so that diagnostics can quote the line they point at.
public struct SourceText: Sendable {
    public let name: String
    public let lines: [Substring]

    public init(name: String, text: String) {
        self.name = name
        self.lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    }

    /// The 1-based line `number`, without its line break; nil past the end.
    public func line(_ number: Int) -> String? {
        guard number >= 1, number <= lines.count else { return nil }
        var line = String(lines[number - 1])
        if line.hasSuffix("\r") { line.removeLast() }
        return line
    }
}
