import Config
import Foundation
import Platform
import Schema
import TestSupport

enum Paths {
    static let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let invalid = tests.appendingPathComponent("Fixtures/invalid")
    static let intents = tests.appendingPathComponent("Fixtures/intents")
    static let examples = TestFixtures.examples
}

let minimalConfig = TestFixtures.minimalConfig

/// A config from text; an empty one (which every test then fails on) rather than a crash when it does not parse.
func view(_ text: String) -> ConfigView {
    ConfigView(ConfigFile.parse(text, name: "test.yaml").root ?? Instance(.object([])))
}

/// The merged config of an example (its preset applied).
func exampleView(_ name: String) -> ConfigView {
    ConfigView(ConfigLoader.load(ConfigRequest(path: Paths.examples.appendingPathComponent(name).path)).root ?? Instance(.object([])))
}
