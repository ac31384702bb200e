import Diagnostics
import Foundation
import Testing

struct DiagnosticRendererTests {
    let source = SourceText(name: "acme.yaml", text: "storage_classes:\n  block:\n    name: \"\"\n    password: hunter2\n")

    @Test func rendersCompilerStyleWithSourceLineAndCaret() {
        let d = Diagnostic.error("KILN-R003", "storage_classes.block.name must not be empty",
                                 at: SourceLocation(line: 3, column: 5), path: "storage_classes.block.name",
                                 help: "name the block storage class").inFile("acme.yaml")
        let text = DiagnosticRenderer().render(d, source: source)
        #expect(text == """
            acme.yaml:3:5: error[KILN-R003]: storage_classes.block.name must not be empty
             3 |     name: ""
               |     ^
                = help: name the block storage class

            """)
    }

    @Test func masksTheValueOfASecretLine() {
        var d = Diagnostic.error("KILN-S001", "`password` must be a string", at: SourceLocation(line: 4, column: 15),
                                 path: "password").inFile("acme.yaml")
        d.secretValue = true
        let text = DiagnosticRenderer().render(d, source: source)
        #expect(!text.contains("hunter2"))
        #expect(text.contains("password: ********"))
    }

    @Test func colourIsOptIn() {
        let d = Diagnostic.warning("KILN-S011", "m").inFile("a.yaml")
        #expect(!DiagnosticRenderer(color: false).render(d, source: nil).contains("\u{1B}["))
        #expect(DiagnosticRenderer(color: true).render(d, source: nil).contains("\u{1B}[33;1m"))
    }

    @Test func jsonCarriesTheSameFields() throws {
        let d = Diagnostic.error("KILN-R003", "msg", at: SourceLocation(line: 3, column: 5), path: "a.b",
                                 notes: ["n"], help: "h").inFile("acme.yaml")
        let json = DiagnosticRenderer().json([d])
        let records = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        #expect(records.count == 1)
        #expect(records[0]["code"] as? String == "KILN-R003")
        #expect(records[0]["line"] as? Int == 3)
        #expect(records[0]["column"] as? Int == 5)
        #expect(records[0]["path"] as? String == "a.b")
        #expect(records[0]["file"] as? String == "acme.yaml")
        #expect(records[0]["severity"] as? String == "error")
        #expect(records[0]["help"] as? String == "h")
    }

    @Test func outputOrderIsByFileThenPosition() {
        let a = Diagnostic.error("X", "late", at: SourceLocation(line: 9, column: 1)).inFile("a.yaml")
        let b = Diagnostic.error("X", "early", at: SourceLocation(line: 2, column: 3)).inFile("a.yaml")
        let c = Diagnostic.error("X", "file level").inFile("a.yaml")
        let z = Diagnostic.error("X", "other file", at: SourceLocation(line: 1, column: 1)).inFile("z.yaml")
        #expect([z, a, b, c].sortedForOutput().map(\.message) == ["file level", "early", "late", "other file"])
    }
}
