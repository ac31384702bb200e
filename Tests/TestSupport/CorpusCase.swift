import Diagnostics
import Foundation

/// A file of an invalid-config corpus. Each file ends with the errors it must produce, one per line:
///
///     # expect: KILN-R003 storage_classes.block.name 8:5
///
/// (code, key path or `-` for none, line:column or `-` for none).
public struct CorpusCase: Sendable {
    public struct Expectation: Hashable, Sendable, CustomStringConvertible {
        public var code: String
        public var path: String
        public var position: String
        public var description: String { "\(code) \(path) \(position)" }

        public init(_ d: Diagnostic) {
            code = d.code
            path = d.path.isEmpty ? "-" : d.path
            position = d.location.map { "\($0.line):\($0.column)" } ?? "-"
        }

        init(code: String, path: String, position: String) {
            self.code = code
            self.path = path
            self.position = position
        }
    }

    public let name: String
    public let bytes: [UInt8]
    public let expected: [Expectation]

    public init(directory: URL, name: String) throws {
        self.name = name
        bytes = Array(try Data(contentsOf: directory.appendingPathComponent(name)))
        expected = String(decoding: bytes, as: UTF8.self).split(separator: "\n").compactMap { line in
            guard line.hasPrefix("# expect: ") else { return nil }
            let parts = line.dropFirst("# expect: ".count).split(separator: " ").map(String.init)
            return parts.count == 3 ? Expectation(code: parts[0], path: parts[1], position: parts[2]) : nil
        }
    }

    /// The errors among `diagnostics`, in the expectation's form.
    public static func errors(_ diagnostics: [Diagnostic]) -> [Expectation] {
        diagnostics.filter { $0.severity == .error }.map(Expectation.init)
    }

    public static func files(in directory: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
    }
}
