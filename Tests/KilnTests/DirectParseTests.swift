import Foundation
@testable import kiln
import Testing

/// `kiln SUBCOMMAND …` is parsed by that subcommand alone (Kiln.parsedDirectly, for start-up time); anything that
/// parse does not take goes from the root, so help and usage errors read as they always did.
struct DirectParseTests {
    @Test func aLeafSubcommandIsParsedOnItsOwn() throws {
        let render = try #require(Kiln.parsedDirectly(["render", "cfg.yaml", "-o", "out", "--layout", "stream"]) as? Render)
        #expect(render.file == "cfg.yaml")
        #expect(render.output == "out")
        #expect(render.layout == .stream)
        #expect(Kiln.parsedDirectly(["version"]) is Version)
    }

    @Test func whatItDoesNotTakeGoesFromTheRoot() {
        #expect(Kiln.parsedDirectly([]) == nil)
        #expect(Kiln.parsedDirectly(["no-such-command"]) == nil)
        #expect(Kiln.parsedDirectly(["render", "--help"]) == nil, "help is the root's")
        #expect(Kiln.parsedDirectly(["render"]) == nil, "a usage error is the root's")
        #expect(Kiln.parsedDirectly(["render", "cfg.yaml", "--layout", "bogus"]) == nil)
        #expect(Kiln.parsedDirectly(["bundle", "create", "cfg.yaml"]) == nil, "a command with subcommands goes from the root")
    }

    @Test func helpAndUsageErrorsStillNameTheWholeCommand() async throws {
        let missing = try await KilnBinary.run(["render"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("Usage: kiln render"), "\(missing.stderr)")
        let help = try await KilnBinary.run(["render", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("USAGE: kiln render"), "\(help.stdout)")
    }
}
