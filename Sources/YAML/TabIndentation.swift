import Diagnostics

/// Finds lines indented with tabs. YAML forbids tabs in indentation, and libyaml's message for them
/// ("found character that cannot start any token") does not say so.
enum TabIndentation {
    /// Every tab-indented line, except lines inside block scalars (`|`, `>`), whose content may hold tabs.
    static func all(in bytes: [UInt8], skipping blocks: [ClosedRange<Int>]) -> [Diagnostic] {
        var found: [Diagnostic] = []
        scan(bytes, upToLine: Int.max, skipping: blocks) { found.append($0); return true }
        return found
    }

    static func first(in bytes: [UInt8], upToLine last: Int, skipping blocks: [ClosedRange<Int>]) -> Diagnostic? {
        var found: Diagnostic?
        scan(bytes, upToLine: last, skipping: blocks) { found = $0; return false }
        return found
    }

    private static func scan(_ bytes: [UInt8], upToLine last: Int, skipping blocks: [ClosedRange<Int>],
                             _ report: (Diagnostic) -> Bool) {
        var line = 1
        var i = 0
        while i < bytes.count, line <= last {
            var j = i
            var tabAt: Int?
            while j < bytes.count, bytes[j] == 0x20 || bytes[j] == 0x09 {
                if bytes[j] == 0x09, tabAt == nil { tabAt = j }
                j += 1
            }
            let content = j < bytes.count && bytes[j] != 0x0A && bytes[j] != 0x0D && bytes[j] != 0x23
            if let tab = tabAt, content, !blocks.contains(where: { $0.contains(line) }) {
                let d = Diagnostic.error(
                    YAMLCode.tabIndentation, "tab character in indentation",
                    at: SourceLocation(line: line, column: tab - i + 1, offset: tab),
                    help: "indent with spaces; YAML does not allow tabs in indentation")
                if !report(d) { return }
            }
            while j < bytes.count, bytes[j] != 0x0A { j += 1 }
            i = j + 1
            line += 1
        }
    }
}
