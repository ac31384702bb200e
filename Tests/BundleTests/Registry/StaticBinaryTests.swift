import Foundation
import Testing

/// The release binary (`swift build -c release`, `-static-stdlib`) needs no Swift toolchain library.
struct StaticBinaryTests {
    static let release = BundleCommandTests.package.appendingPathComponent(".build/release/kiln").path

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: release),
                   "no .build/release/kiln: run `swift build -c release` to check the static binary"))
    func theReleaseBinaryRunsWithoutTheToolchainLibraries() async throws {
        let ldd = try await system("/usr/bin/ldd", [Self.release], in: "/")
        #expect(ldd.status == 0)
        let swiftLibraries = ldd.output.split(separator: "\n").filter { $0.contains("libswift") || $0.contains("libFoundation") || $0.contains("/opt/swift") }
        #expect(swiftLibraries.isEmpty, "\(swiftLibraries)")
        // libcurl is loaded on first use, not linked (start-up without its thirty shared objects).
        #expect(!ldd.output.contains("libcurl"), "\(ldd.output)")
        // Run with an empty library path and the loader's cache only: nothing from /opt/swift can be found.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.release)
        process.arguments = ["version"]
        process.environment = ["LD_LIBRARY_PATH": "", "PATH": "/usr/bin:/bin"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(output.contains("0."))
    }
}
