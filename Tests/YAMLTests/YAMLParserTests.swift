import Diagnostics
import Foundation
import Testing
@testable import YAML

struct YAMLParserTests {
    func parse(_ text: String, limits: YAMLLimits = .default) -> (Node?, [Diagnostic]) {
        YAMLParser.parseDocument(Array(text.utf8), limits: limits)
    }

    @Test func everyNodeKnowsItsLineAndColumn() throws {
        let (node, diags) = parse("a: 1\nb:\n  c: [x, \"y\"]\n")
        #expect(diags.isEmpty)
        let root = try #require(node)
        #expect(root["a"]?.location == SourceLocation(line: 1, column: 4, offset: 3))
        let c = try #require(root["b"]?["c"])
        #expect(c.location.line == 3 && c.location.column == 6)
        #expect(c.items?[1].location.column == 10)
        #expect(root.pairs?[1].key.location.line == 2)
    }

    @Test func scalarsKeepTheirTextAndStyle() throws {
        let (node, _) = parse("p: no\ns: 'no'\nd: \"on\"\nl: |\n  line\nf: >\n  folded\nn: ~\n")
        let root = try #require(node)
        #expect(root["p"]?.scalar == Scalar("no", style: .plain))
        #expect(root["s"]?.scalar == Scalar("no", style: .singleQuoted))
        #expect(root["d"]?.scalar?.style == .doubleQuoted)
        #expect(root["l"]?.scalar == Scalar("line\n", style: .literal))
        #expect(root["f"]?.scalar?.style == .folded)
        #expect(root["n"]?.scalar?.isNull == true)
        #expect(root["s"]?.scalar?.isNull == false)
    }

    @Test func aliasesExpandToTheAnchoredNode() throws {
        let (node, diags) = parse("base: &b {x: 1}\ncopy: *b\n")
        #expect(diags.isEmpty)
        #expect(node?["copy"]?["x"]?.scalar?.text == "1")
        #expect(node?["copy"]?.location.line == 2)
    }

    @Test func syntaxErrorHasPositionAndHint() {
        let (node, diags) = parse("a: b: c\n")
        #expect(node == nil)
        #expect(diags.map(\.code) == [YAMLCode.syntax])
        #expect(diags[0].location?.line == 1 && diags[0].location?.column == 5)
        #expect(diags[0].help != nil)
    }

    @Test func duplicateKeysAreErrorsNamingTheFirst() {
        let (_, diags) = parse("a: 1\nb: 2\na: 3\n")
        #expect(diags.map(\.code) == [YAMLCode.duplicateKey])
        #expect(diags[0].location?.line == 3)
        #expect(diags[0].notes == ["first defined at line 1, column 1"])
    }

    @Test func tabIndentationIsNamed() {
        let (_, diags) = parse("a:\n\tb: 1\n")
        #expect(diags.map(\.code) == [YAMLCode.tabIndentation])
        #expect(diags[0].location?.line == 2)
    }

    @Test func tabsInsideBlockScalarsAndAfterKeysAreFine() {
        let (_, diags) = parse("a: |\n  x\n  \ty\nb:\tvalue\n")
        #expect(diags.isEmpty, "\(diags.map(\.message))")
    }

    @Test func billionLaughsFailsFastWithBoundedMemory() {
        var text = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for i in 1...12 {
            text += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 9).joined(separator: ", ") + "]\n"
        }
        let clock = ContinuousClock()
        var diags: [Diagnostic] = []
        let elapsed = clock.measure { diags = parse(text).1 }
        #expect(diags.map(\.code) == [YAMLCode.aliasBudget])
        // Nine to the twelfth nodes would take hours; the budget stops it after about 100,000.
        #expect(elapsed < .seconds(20), "bounded (20 s: a loaded two-core machine; unbounded, it would run for hours)")
    }

    @Test func nestingDeeperThanTheLimitIsRefused() {
        let deep = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        let (_, diags) = parse("a: " + deep + "\n")
        #expect(diags.map(\.code) == [YAMLCode.tooDeep])
        let (_, ok) = parse("a: " + String(repeating: "[", count: 10) + String(repeating: "]", count: 10) + "\n")
        #expect(ok.isEmpty)
    }

    @Test func filesOverTheSizeLimitAreRefusedBeforeParsing() {
        let (_, diags) = parse("a: " + String(repeating: "x", count: 2000) + "\n", limits: YAMLLimits(maxBytes: 1024))
        #expect(diags.map(\.code) == [YAMLCode.tooLarge])
        #expect(diags[0].message.contains("1024"))
    }

    @Test func invalidUTF8ReportsTheByteOffset() {
        var bytes = Array("name: caf".utf8)
        bytes.append(0xE9)
        bytes += Array("\nother: 1\n".utf8)
        let (_, diags) = YAMLParser.parseDocument(bytes)
        #expect(diags.map(\.code) == [YAMLCode.invalidUTF8])
        #expect(diags[0].message.contains("byte offset 9"))
        #expect(diags[0].location == SourceLocation(line: 1, column: 10, offset: 9))
    }

    @Test func overlongAndSurrogateEncodingsAreInvalid() {
        #expect(UTF8Check.firstInvalidByte(in: [0x61, 0xC0, 0x80]) == 1)
        #expect(UTF8Check.firstInvalidByte(in: [0xED, 0xA0, 0x80]) == 0)
        #expect(UTF8Check.firstInvalidByte(in: Array("héllo ✓ 🙂".utf8)) == nil)
    }

    @Test func anEmptyDocumentIsAnError() {
        #expect(parse("").1.map(\.code) == [YAMLCode.emptyDocument])
        #expect(parse("# nothing here\n\n").1.map(\.code) == [YAMLCode.emptyDocument])
        #expect(parse("---\n").1.map(\.code) == [YAMLCode.emptyDocument])
    }

    @Test func aSecondDocumentIsAnErrorAtItsSeparator() {
        let (_, diags) = parse("a: 1\n---\nb: 2\n")
        #expect(diags.map(\.code) == [YAMLCode.multipleDocuments])
        #expect(diags[0].location?.line == 2)
        #expect(YAMLParser.parse(Array("a: 1\n---\nb: 2\n".utf8)).documents.count == 2)
    }

    @Test func complexKeysUndefinedAliasesAndForeignTagsAreRefused() {
        #expect(parse("? [a]\n: 1\n").1.map(\.code) == [YAMLCode.complexKey])
        #expect(parse("a: *nope\n").1.map(\.code) == [YAMLCode.undefinedAlias])
        #expect(parse("a: !!python/object x\n").1.map(\.code) == [YAMLCode.unsupportedTag])
        #expect(parse("a: !!str 1\n").0?["a"]?.tag == "tag:yaml.org,2002:str")
    }
}
