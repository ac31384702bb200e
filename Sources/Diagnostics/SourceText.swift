/// A source file's text, for quoting the line a diagnostic points at.
public struct SourceText: Sendable {
    public let name: String
    public let text: String

    /// Keeps the text whole: lines are found only when a diagnostic quotes one (splitting every config into lines up
    /// front was a tenth of an in-process render).
    public init(name: String, text: String) {
        self.name = name
        self.text = text
    }

    /// The lines, split at each line feed (a CRLF file's lines keep their `\r`).
    public var lines: [Substring] {
        text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).map { Substring($0) }
    }

    /// The 1-based line `number`, without its line break; nil past the end.
    public func line(_ number: Int) -> String? {
        guard number >= 1 else { return nil }
        var current = 1
        var start = text.utf8.startIndex
        var index = start
        while index < text.utf8.endIndex {
            if text.utf8[index] == 0x0A {
                if current == number { break }
                current += 1
                start = text.utf8.index(after: index)
            }
            index = text.utf8.index(after: index)
        }
        guard current == number else { return nil }
        var line = String(Substring(text.utf8[start..<index]))
        if line.hasSuffix("\r") { line.removeLast() }
        return line
    }
}
