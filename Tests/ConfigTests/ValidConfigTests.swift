import Config
import Diagnostics
import Testing

/// The examples are complete configs for the control-plane and data-plane shapes of the reference docs.
struct ValidConfigTests {
    static let examples = Paths.yamlFiles(in: Paths.examples)

    @Test func examplesCoverControlAndDataPlanes() {
        #expect(Self.examples.count >= 5)
        #expect(Self.examples.contains("data-plane.yaml"))
        #expect(Self.examples.contains("eks.yaml"))
    }

    @Test(arguments: examples)
    func exampleConfigIsValidWithoutWarnings(_ name: String) {
        let report = ConfigValidation.validate(path: Paths.examples.appendingPathComponent(name).path)
        #expect(report.diagnostics.isEmpty, "\(name): \(report.diagnostics.map(\.message))")
        #expect(report.passes(strict: true))
    }

    @Test func dataPlaneExampleIsADataPlaneInstall() throws {
        let file = ConfigFile.load(path: Paths.examples.appendingPathComponent("data-plane.yaml").path)
        let view = ConfigView(try #require(file.root))
        #expect(view.isDataPlaneOnly)
        #expect(view.string("data_plane.type") == "remote")
    }
}
