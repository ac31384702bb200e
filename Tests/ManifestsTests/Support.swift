import Config
import Foundation
import Manifests
import Platform
import Schema
import TestSupport

enum Paths {
    static let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let golden = tests.appendingPathComponent("Fixtures/golden")
    static let examples = TestFixtures.examples
}

/// Secret references resolve to a recognisable fake value, so tests can check where secrets end up.
let fakeSecrets = SecretValues(variable: { "secret-value-of-\($0)" }, readFile: { "secret-file-\($0)" })

func exampleView(_ name: String, sets: [String] = []) -> ConfigView {
    let loaded = ConfigLoader.load(ConfigRequest(path: Paths.examples.appendingPathComponent(name).path, sets: sets))
    return ConfigView(loaded.root ?? Instance(.object([])))
}

/// An example's render, computed once per run for each example and set of `--set`s (tests only read it).
func render(_ example: String, sets: [String] = []) -> RenderResult {
    renders.value(([example] + sets).joined(separator: "\u{0}")) { renderAfresh(example, sets: sets) }
}

/// An example rendered now, not taken from the run's memo (the determinism tests compare two of them).
func renderAfresh(_ example: String, sets: [String] = []) -> RenderResult {
    PlatformRenderer.render(exampleView(example, sets: sets), secrets: fakeSecrets)
}

private let renders = Memo<RenderResult>()

func temporaryDirectory() throws -> URL {
    let dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("kiln-manifests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
}

/// Runs a program; nil when it cannot be started (not installed).
func run(_ program: String, _ arguments: [String]) -> (status: Int32, output: String)? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [program] + arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    do { try process.run() } catch { return nil }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

extension RenderResult {
    func object(_ kind: String, _ name: String) -> ManifestObject? {
        objects.first { $0.kind == kind && $0.name == name }
    }
}

extension JSONValue {
    /// The value at a dotted path (`spec.template.spec.containers.0.resources`).
    func at(_ path: String) -> JSONValue? {
        var node: JSONValue? = self
        for part in path.split(separator: ".") {
            if let i = Int(part), let items = node?.arrayValue { node = items.indices.contains(i) ? items[i] : nil } else { node = node?[String(part)] }
        }
        return node
    }
}
