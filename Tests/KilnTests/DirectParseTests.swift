import Foundation
@testable import kiln
import Testing
import TestSupport

/// `kiln SUBCOMMAND …` is parsed by that subcommand alone (Kiln.parsedDirectly, for start-up time); anything that
/// parse does not take goes from the root, so help and usage errors read as they always did.
struct DirectParseTests {
    @Test func aLeafSubcommandIsParsedOnItsOwn() throws {
        let render = try #require(Kiln.parsedDirectly(["render", "cfg.yaml", "-o", "out", "--layout", "stream"]) as? Render)
        #expect(render.file == "cfg.yaml")
        #expect(render.output == "out")
        #expect(render.layout == .stream)
        // What the comparison with the root's parse below looks at: the values, not just the type.
        #expect(String(reflecting: render).contains("cfg.yaml") && String(reflecting: render).contains("stream"))
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

    /// For every subcommand and a few argument lists, the direct parse gives what the parse from the root gives (the
    /// same command with the same values), or declines where the root's parse fails. (Off the pool: a parse from the
    /// root takes ~0.1 s in a debug build.)
    @Test func everySubcommandParsesDirectlyAsFromTheRoot() async {
        let mismatches = await offPool { () -> (compared: Int, differing: [String]) in
            let argumentLists: [[String]] = [[], ["x.yaml"], ["x.yaml", "--format", "json", "-o", "out"], ["--bogus"]]
            var compared = 0
            var differing: [String] = []
            for subcommand in Kiln.configuration.subcommands {
                let name = subcommand.configuration.commandName ?? ""
                for rest in argumentLists {
                    guard let parsed = Kiln.parsedDirectly([name] + rest) else { continue }
                    compared += 1
                    let fromRoot = try? Kiln.parseAsRoot([name] + rest)
                    if fromRoot.map({ String(reflecting: $0) }) != String(reflecting: parsed) { differing.append("\([name] + rest)") }
                }
            }
            return (compared, differing)
        }
        #expect(mismatches.differing.isEmpty, "\(mismatches.differing)")
        #expect(mismatches.compared > 10, "most subcommands take some of these lists")
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
