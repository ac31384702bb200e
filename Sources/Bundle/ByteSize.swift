import Foundation

/// A size as `--max-part-size` takes it: bytes (`1048576`), or a number with K, M, G or T (powers of 1024, as
/// `split -b` reads them; `500M`, `2G`, `1.5G`; a trailing `B` or `iB` is allowed).
public enum ByteSize {
    public struct Invalid: Error, CustomStringConvertible {
        public let text: String
        public var description: String { "`\(text)` is not a size (bytes, or a number with K, M, G or T: 500M, 2G)" }
    }

    public static func parse(_ text: String) throws -> Int64 {
        var number = Substring(text.trimmingCharacters(in: .whitespaces).uppercased())
        for suffix in ["IB", "B"] where number.hasSuffix(suffix) && number.count > suffix.count {
            number = number.dropLast(suffix.count)
            break
        }
        var multiplier: Double = 1
        if let last = number.last, let power = ["K": 1, "M": 2, "G": 3, "T": 4][String(last)] {
            multiplier = pow(1024, Double(power))
            number = number.dropLast()
        }
        guard let value = Double(number), value > 0, value.isFinite, !number.hasPrefix("+") else { throw Invalid(text: text) }
        let bytes = value * multiplier
        guard bytes >= 1, bytes < 9.0e18, bytes.rounded() == bytes else { throw Invalid(text: text) }
        return Int64(bytes)
    }
}
