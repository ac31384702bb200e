import Config
import Foundation
import Schema
import Testing
import TestSupport

/// Every key of schema 1.14 has a typed accessor, generated from the schema (scripts/generate-config-keys.py).
struct ConfigKeyTests {
    @Test func everySchemaLeafHasATypedKeyOfItsType() {
        let keys = Dictionary(InstallConfigKeys.all.map { ($0.path, $0.type) }, uniquingKeysWith: { a, _ in a })
        for leaf in InstallConfigSchema.shared.leaves {
            let path = leaf.path.patternDescription
            let expected: String
            switch leaf.shape {
            case .boolean: expected = "Bool"
            case .integer, .number: expected = "Double"
            case .string: expected = "String"
            case .list: expected = "[Instance]"
            case .map: expected = "ConfigMapping"
            }
            #expect(keys[path] == expected, "\(path): typed as \(keys[path] ?? "nothing"), the schema says \(expected)")
        }
    }

    @Test func theGeneratedFileIsUpToDate() throws {
        let script = TestFixtures.package.appendingPathComponent("scripts/generate-config-keys.py").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, "--check"]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "run python3 scripts/generate-config-keys.py")
    }

    @Test func aTypedKeyReadsWhatItsPathReads() throws {
        let file = ConfigFile.parse(TestFixtures.minimalConfig + "ssl_enabled: false\ntxt_owner_id: 007\n", name: "t.yaml")
        let config = ConfigView(InstallConfigSchema.shared.typed(try #require(file.root)))
        #expect(config.bool(.sslEnabled) == false)
        #expect(config.string(.hostname) == "domino.example.com")
        // One scalar-typing rule: a string key keeps what was written.
        #expect(config.string(.txtOwnerId) == "007")
        #expect(config.has(.storageClasses))
        #expect(config.filled(.storageClassesBlockName) == "dominodisk")
    }
}
