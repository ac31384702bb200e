import Foundation
import TestSupport

/// Files the tests read.
enum Paths {
    static let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let invalid = tests.appendingPathComponent("Fixtures/invalid")
    static let examples = TestFixtures.examples

    static func yamlFiles(in dir: URL) -> [String] { CorpusCase.files(in: dir) }
}
