import Config
import Schema
import Foundation
import TestSupport

func exampleConfig(_ name: String, sets: [String] = []) -> ConfigView {
    let loaded = ConfigLoader.load(ConfigRequest(path: TestFixtures.examples.appendingPathComponent(name).path, sets: sets))
    return ConfigView(loaded.root ?? Instance(.object([])))
}

/// A directory under the system's temporary directory, removed by `remove()`.
struct TemporaryDirectory {
    let url: URL
    var path: String { url.path }

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-bundle-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

/// Runs a system tool in `directory` off the cooperative pool (see `offPool`); its exit status and what it printed.
func system(_ tool: String, _ arguments: [String], in directory: String) async throws -> (status: Int32, output: String) {
    let result = await offPool { Result { try blockingSystem(tool, arguments, in: directory) } }
    return try result.get()
}

/// The same, blocking the calling thread (for a quick tool in a synchronous setup).
func blockingSystem(_ tool: String, _ arguments: [String], in directory: String) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: tool)
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: directory)
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// Flips one byte of a file in place.
func flipByte(_ path: String, at offset: Int) throws {
    let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
    defer { try? handle.close() }
    try handle.seek(toOffset: UInt64(offset))
    let byte = try handle.read(upToCount: 1)![0]
    try handle.seek(toOffset: UInt64(offset))
    try handle.write(contentsOf: Data([byte ^ 0xff]))
}
