import Foundation
import Testing

struct ValidateCommandTests {
    @Test func aValidExampleExitsZero() async throws {
        let r = try await KilnBinary.run(["validate", "examples/eks.yaml"])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout == "examples/eks.yaml: valid (0 errors, 0 warnings)\n")
    }

    @Test func anInvalidConfigExitsOneWithCompilerStyleErrors() async throws {
        let r = try await KilnBinary.run(["validate", "Tests/ConfigTests/Fixtures/invalid/r003-empty-block-name.yaml"])
        #expect(r.status == 1)
        #expect(r.stdout.contains("r003-empty-block-name.yaml:8:5: error[KILN-R003]: storage_classes.block.name must not be empty"))
        #expect(r.stdout.contains(" 8 |     name: \"\""))
        #expect(r.stdout.contains("invalid (1 error, 0 warnings)"))
    }

    @Test func jsonOutputIsMachineReadable() async throws {
        let r = try await KilnBinary.run(["validate", "--format", "json", "examples/eks.yaml",
                                    "Tests/ConfigTests/Fixtures/invalid/s007-top-level-typo.yaml"])
        #expect(r.status == 1)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(json["valid"] as? Bool == false)
        let files = try #require(json["files"] as? [[String: Any]])
        #expect(files.map { $0["valid"] as? Bool } == [true, false])
        let diagnostics = try #require(json["diagnostics"] as? [[String: Any]])
        #expect(diagnostics.count == 1)
        #expect(diagnostics[0]["code"] as? String == "KILN-S007")
        #expect(diagnostics[0]["help"] as? String == "did you mean `storage_classes`?")
        #expect(diagnostics[0]["line"] as? Int == 9)
    }

    @Test func warningsFailOnlyUnderStrict() async throws {
        let config = try String(contentsOf: KilnBinary.package.appendingPathComponent("examples/eks.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "ssl_redirect: true", with: "ssl_redirect: yes")
        let lenient = try await KilnBinary.run(["validate", "-"], stdin: config)
        #expect(lenient.status == 0)
        #expect(lenient.stdout.contains("warning[KILN-S011]"))
        let strict = try await KilnBinary.run(["validate", "--strict", "-"], stdin: config)
        #expect(strict.status == 1)
    }

    @Test func worksFromAnyDirectoryBecauseTheSchemaIsEmbedded() async throws {
        let example = KilnBinary.package.appendingPathComponent("examples/aks.yaml").path
        let r = try await KilnBinary.run(["validate", example], in: URL(fileURLWithPath: NSTemporaryDirectory()))
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    }

    @Test func usageErrorsExitTwo() async throws {
        #expect(try await KilnBinary.run(["validate"]).status == 2)
        #expect(try await KilnBinary.run(["validate", "--format", "yaml", "examples/eks.yaml"]).status == 2)
        #expect(try await KilnBinary.run(["frobnicate"]).status == 2)
        let help = try await KilnBinary.run(["validate", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("--strict"))
    }

    @Test func aMissingFileIsAClearError() async throws {
        let r = try await KilnBinary.run(["validate", "no-such-config.yaml"])
        #expect(r.status == 1)
        #expect(r.stdout.contains("error[KILN-C003]: no such file: no-such-config.yaml"))
    }
}
