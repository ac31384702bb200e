import Diagnostics
import Testing
@testable import YAML

struct YAMLEmitterTests {
    let at = SourceLocation(line: 1, column: 1)

    func map(_ pairs: [(String, Node)]) -> Node {
        Node(.mapping(pairs.map { Pair(key: Node(.scalar(Scalar($0.0)), at: at), value: $0.1) }), at: at)
    }

    func str(_ s: String) -> Node { Node(.scalar(Scalar(s, style: .doubleQuoted)), at: at) }
    func plain(_ s: String) -> Node { Node(.scalar(Scalar(s)), at: at) }

    @Test func stringsThatYAMLReadersWouldRetypeAreQuoted() {
        for s in ["on", "yes", "No", "0755", "1e3", "12:30", "~", "null", "true", "0x1F", ".5", "-1", "", "=", "<<"] {
            #expect(YAMLEmitter.scalar(Scalar(s, style: .doubleQuoted)).hasPrefix("\""), "\(s)")
        }
        for s in ["domino", "6.1.x-catalog", "quay.io/domino/x:1.2", "a b", "ELBSecurityPolicy-TLS-1-2-2017-01"] {
            #expect(YAMLEmitter.scalar(Scalar(s, style: .doubleQuoted)) == s, "\(s)")
        }
    }

    /// The ambiguous words are looked up packed into an integer: every word is found, and no text that only
    /// shares its bytes, length or a prefix with one is.
    @Test func everyAmbiguousWordAndNoOtherIsFound() {
        for word in YAMLEmitter.ambiguousWords {
            #expect(YAMLEmitter.isAmbiguous(word), "\(word)")
        }
        for text in ["nul", "nulls", "Tru", "truE", "fals", "ye", "yES", "oN", "of", "offf", "NaN", ".na", ".nanx", "<", "<<<",
                     "==", "~~", "name", "kind", "spec", "image", "\0", "\u{0}\u{0}"] {
            #expect(!YAMLEmitter.isAmbiguous(text), "\(text)")
        }
        #expect(YAMLEmitter.packed(Array("".utf8)) != YAMLEmitter.packed([0]))
    }

    /// `isPlainSafe` passes most bytes by a table lookup; the bytes it must look at closely (space, `#`, `:`,
    /// controls, U+FEFF's) still decide, wherever they sit in the text.
    @Test func plainSafetyLooksAtEveryByteThatMatters() {
        for s in ["a#b", "a:b", "http://x:80/p", "é", "日本", "a\u{FEFE}b", "x-y_z.0/1", "a b", "ab:c"] {
            #expect(YAMLEmitter.isPlainSafe(s), "\(s)")
        }
        for s in ["a #b", "a: b", "ab:", "ab ", "a\tb", "a\u{7F}b", "a\u{FEFF}b", "\u{FEFF}", "x\ny", "", "#a", " a"] {
            #expect(!YAMLEmitter.isPlainSafe(s), "\(s.debugDescription)")
        }
    }

    @Test func plainScalarsStayPlainUnlessTheySpellYAMLSyntax() {
        #expect(YAMLEmitter.scalar(Scalar("6.1.2")) == "6.1.2")
        #expect(YAMLEmitter.scalar(Scalar("true")) == "true")
        #expect(YAMLEmitter.scalar(Scalar("a: b")) == "\"a: b\"")
        #expect(YAMLEmitter.scalar(Scalar("#x")) == "\"#x\"")
        #expect(YAMLEmitter.scalar(Scalar("${env:X}")) == "${env:X}")
    }

    @Test func emitsBlockStyleWithCommentsAndReadsBackTheSame() throws {
        let doc = map([
            ("name", str("no")),
            ("nested", map([("list", Node(.sequence([str("a"), map([("k", plain("1")), ("j", str("2"))])]), at: at))])),
            ("empty", Node(.mapping([]), at: at)),
            ("none", Node(.sequence([]), at: at)),
            ("pem", str("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n")),
            ("service.beta.kubernetes.io/x", str("'quoted' \"both\"")),
        ])
        let text = YAMLEmitter(comments: { $0 == ["nested"] ? ["about nested"] : [] }).emit(doc)
        #expect(text == """
            name: "no"
            # about nested
            nested:
              list:
                - a
                - k: 1
                  j: "2"
            empty: {}
            none: []
            pem: |
              -----BEGIN CERTIFICATE-----
              MIIB
              -----END CERTIFICATE-----
            service.beta.kubernetes.io/x: "'quoted' \\"both\\""

            """)
        let (back, diags) = YAMLParser.parseDocument(Array(text.utf8))
        #expect(diags.isEmpty)
        #expect(back?["name"]?.scalar?.text == "no")
        #expect(back?["pem"]?.scalar?.text == "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n")
        #expect(back?["nested"]?["list"]?.items?[1]["j"]?.scalar?.text == "2")
        #expect(back?["service.beta.kubernetes.io/x"]?.scalar?.text == "'quoted' \"both\"")
        // Emitting what was read gives the same text again.
        #expect(YAMLEmitter(comments: { $0 == ["nested"] ? ["about nested"] : [] }).emit(try #require(back)) == text)
    }
}
