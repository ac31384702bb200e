import Config
import TestSupport
import Platform
import Testing

/// Fixtures/invalid: configs the release catalog's checks refuse, each stating its errors (see CorpusCase).
struct PlatformCorpusTests {
    static let files = CorpusCase.files(in: Paths.invalid)

    @Test(arguments: files)
    func invalidConfigReportsExactlyItsExpectedErrors(_ name: String) throws {
        let corpusCase = try CorpusCase(directory: Paths.invalid, name: name)
        try #require(!corpusCase.expected.isEmpty)
        let report = PlatformChecks.validate(ConfigFile.parse(corpusCase.bytes, name: name))
        let got = CorpusCase.errors(report.diagnostics)
        #expect(got.sorted { $0.description < $1.description } == corpusCase.expected.sorted { $0.description < $1.description },
                "\(name): got \(got)")
    }

    @Test func everyExampleAlsoPassesTheCatalogChecks() throws {
        let examples = CorpusCase.files(in: Paths.examples)
        #expect(examples.count >= 12)
        for name in examples {
            let report = PlatformChecks.validate(ConfigRequest(path: Paths.examples.appendingPathComponent(name).path))
            #expect(report.diagnostics.isEmpty, "\(name): \(report.diagnostics.map { "\($0.code) \($0.message)" })")
        }
    }
}
