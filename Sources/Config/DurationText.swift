import Foundation

/// Durations as kubectl and Go write them: `300ms`, `30s`, `5m`, `1h30m`, `1.5h`; a bare number is seconds (what
/// kiln's options took before). Used for `--timeout`, `--request-timeout` and the operator's intervals.
public enum DurationText {
    static let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]

    /// Seconds, or nil when the text is not a duration (negative, empty, an unknown unit).
    public static func seconds(_ text: String) -> Double? {
        let text = text.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { return nil }
        if let plain = Double(text) { return plain >= 0 && plain.isFinite ? plain : nil }
        var total = 0.0
        var rest = Substring(text)
        while !rest.isEmpty {
            let number = rest.prefix { $0.isNumber || $0 == "." }
            guard !number.isEmpty, let value = Double(number) else { return nil }
            rest = rest.dropFirst(number.count)
            // `ms` before `m`: the longest unit that matches.
            guard let (unit, scale) = units.sorted(by: { $0.0.count > $1.0.count }).first(where: { rest.hasPrefix($0.0) }) else { return nil }
            rest = rest.dropFirst(unit.count)
            total += value * scale
        }
        return total
    }

    /// `5m`, `1h30m`, `45s`, `250ms`: the shortest form kubectl would print.
    public static func format(_ seconds: Double) -> String {
        if seconds < 1, seconds > 0 { return "\(Int((seconds * 1000).rounded()))ms" }
        var left = Int(seconds.rounded())
        var text = ""
        if left >= 3600 { text += "\(left / 3600)h"; left %= 3600 }
        if left >= 60 { text += "\(left / 60)m"; left %= 60 }
        if left > 0 || text.isEmpty { text += "\(left)s" }
        return text
    }
}
