import Foundation

/// Files the tests read, found from this source file so tests run from any directory.
enum Paths {
    static let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let package = tests.deletingLastPathComponent().deletingLastPathComponent()
    static let invalid = tests.appendingPathComponent("Fixtures/invalid")
    static let examples = package.appendingPathComponent("examples")

    static func yamlFiles(in dir: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? [])
            .filter { $0.hasSuffix(".yaml") }.sorted()
    }
}
