import Config
import TestSupport
import Diagnostics
import Foundation
import Testing

/// Every file in Fixtures/invalid ends with the errors it must produce (`# expect: CODE KEY.PATH LINE:COL`); the test
/// asserts that exactly these errors are reported: the same codes, key paths and positions, no more, no fewer.
struct InvalidConfigCorpusTests {
    static let files = CorpusCase.files(in: Paths.invalid)

    @Test func theCorpusIsLargeAndCoversEveryLayer() {
        #expect(Self.files.count >= 40)
        for prefix in ["y0", "c0", "s0", "r0"] {
            #expect(Self.files.contains { $0.hasPrefix(prefix) }, "no corpus case for \(prefix)")
        }
    }

    @Test(arguments: files)
    func invalidConfigReportsExactlyItsExpectedErrors(_ name: String) throws {
        let corpusCase = try CorpusCase(directory: Paths.invalid, name: name)
        try #require(!corpusCase.expected.isEmpty, "\(name) states no expectation")
        let report = ConfigValidation.validate(ConfigFile.parse(corpusCase.bytes, name: name))
        let got = CorpusCase.errors(report.diagnostics)
        #expect(!report.isValid)
        #expect(Set(got) == Set(corpusCase.expected), "\(name): got \(got)")
        #expect(got.count == corpusCase.expected.count, "\(name): got \(got)")
    }
}
