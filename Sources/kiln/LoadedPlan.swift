import ArgumentParser
import Config
import Diagnostics
import Foundation
import Platform

/// Loads and validates a config for a command that works on a valid one (releases, size): on errors it prints them
/// and exits 1, so no table is ever built from a config `kiln validate` would refuse.
func validConfig(_ request: ConfigRequest, color: Bool) throws -> ConfigView {
    let report = PlatformChecks.validate(request)
    guard report.isValid, let root = report.config.root else {
        let text = DiagnosticRenderer(color: color).text(report.diagnostics.filter { $0.severity == .error }, sources: report.sources)
        FileHandle.standardError.write(Data(text.utf8))
        printError("\(request.path) is not valid; `kiln validate \(request.path)` lists every problem")
        throw ExitCode(1)
    }
    return ConfigView(root)
}

/// A plain text table with columns padded to their widest cell. A row of one cell is a notice printed as it is
/// (the NOT COMPATIBLE line), and does not widen the first column.
func table(_ header: [String], _ rows: [[String]]) -> String {
    let cells = [header] + rows.filter { $0.count > 1 }
    let widths = header.indices.map { i in cells.map { i < $0.count ? $0[i].count : 0 }.max() ?? 0 }
    func line(_ cells: [String]) -> String {
        if cells.count == 1 { return cells[0] }
        var text = cells.enumerated().map { i, cell in i == cells.count - 1 ? cell : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0) }
            .joined(separator: "  ")
        while text.hasSuffix(" ") { text.removeLast() }
        return text
    }
    return ([line(header)] + rows.map(line)).joined(separator: "\n")
}
