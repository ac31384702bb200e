import Config
import Diagnostics
import Foundation
import Testing

/// Every file in Fixtures/invalid ends with the errors it must produce, one per line:
///
///     # expect: KILN-R003 storage_classes.block.name 8:5
///
/// (code, key path or `-` for none, line:column or `-` for none). The test asserts that exactly these errors are
/// reported: the same codes, key paths and positions, no more, no fewer.
struct InvalidConfigCorpusTests {
    struct Expectation: Hashable, CustomStringConvertible {
        var code: String
        var path: String
        var position: String
        var description: String { "\(code) \(path) \(position)" }
    }

    static let files = Paths.yamlFiles(in: Paths.invalid)

    static func expectations(in bytes: [UInt8]) -> [Expectation] {
        String(decoding: bytes, as: UTF8.self).split(separator: "\n").compactMap { line in
            guard line.hasPrefix("# expect: ") else { return nil }
            let parts = line.dropFirst("# expect: ".count).split(separator: " ").map(String.init)
            return parts.count == 3 ? Expectation(code: parts[0], path: parts[1], position: parts[2]) : nil
        }
    }

    @Test func theCorpusIsLargeAndCoversEveryLayer() {
        #expect(Self.files.count >= 40)
        for prefix in ["y0", "c0", "s0", "r0"] {
            #expect(Self.files.contains { $0.hasPrefix(prefix) }, "no corpus case for \(prefix)")
        }
    }

    @Test(arguments: files)
    func invalidConfigReportsExactlyItsExpectedErrors(_ name: String) throws {
        let path = Paths.invalid.appendingPathComponent(name).path
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        let expected = Self.expectations(in: bytes)
        try #require(!expected.isEmpty, "\(name) states no expectation")
        let report = ConfigValidation.validate(ConfigFile.parse(bytes, name: name))
        let got = report.diagnostics.filter { $0.severity == .error }.map {
            Expectation(code: $0.code, path: $0.path.isEmpty ? "-" : $0.path,
                        position: $0.location.map { "\($0.line):\($0.column)" } ?? "-")
        }
        #expect(!report.isValid)
        #expect(Set(got) == Set(expected), "\(name): got \(got)")
        #expect(got.count == expected.count, "\(name): got \(got)")
    }
}
