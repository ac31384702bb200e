import Foundation
@testable import Schema
import TestSupport
import Testing

/// `SimplePattern` must answer exactly as `NSRegularExpression` (what `Pattern` used alone before) wherever it answers
/// at all: every pattern of the install-config schema, and edge cases, against many subjects.
struct SimplePatternTests {
    static let schemaPatterns: [String] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("schemas/install-config-1.14.schema.json")
        guard let text = try? String(contentsOf: url, encoding: .utf8), let json = try? JSONReader.parse(text) else { return [] }
        var out: [String] = []
        func walk(_ v: JSONValue) {
            switch v {
            case .object(let members):
                for (key, value) in members {
                    if key == "pattern", let s = value.stringValue { out.append(s) }
                    if key == "patternProperties" { out += (value.objectValue ?? []).map(\.0) }
                    walk(value)
                }
            case .array(let items): items.forEach(walk)
            default: break
            }
        }
        walk(json)
        return out
    }()

    static let extraPatterns = [
        "^[a-z]+$", "^xoxb-", "a|", "()", "(?:ab)+c", "a{2}", "a{2,}", "a{0,3}b", "[^a-c]x", "\\d+", "\\w+\\s\\S",
        "^.*$", ".", "a.c", "^$", "$", "^", "[\\d.]+", "[a-]", "[-a]", "x*y*z*", "(a|ab)(c|bcd)(d*)", "^(a+)+$",
        "[\\w-]+", "^[^@ ]+@[^@ ]+$", "colou?r", "\\.", "\\/", "a\\-b", "[\\]]", "[\\s]", "\\D\\W", "(a*)*b", "(|a)+",
        "^(ns|us|µs|ms)+$", "^[a-z]{1,3}$", "^\\s*$|-----BEGIN", "[ ]", "^a$|^b$", "(a)|b(c)",
    ]

    /// Patterns it must leave to ICU (they use syntax outside its subset, or are invalid).
    static let refused = [
        "", "\\p{L}", "[[a]]", "a{,3}", "a*?", "a+?", "a*+", "(?=a)", "(?i)a", "\\bfoo", "[a-z&&[^x]]", "\\1", "a**",
        "*a", "(a", "a)", "[a", "]", "}", "{", "a{3,2}", "^*", "[z-a]", "[a-b-c]", "[\\D]", "\\n", "\\u0041", "[$]",
        "\t",
    ]

    static let bases = [
        "", "a", "abc", "my-bucket", "a.b.c", "example.com", "registry.example.com:5000/path", "https://x", "http://",
        "xoxb-123", "10.0.0.0/16", "256.1.1.1/8", "192.168.1.1/33", "1.5h", "30s", "2m30s", "100Mi", "1.5Gi", "7k",
        "12345678-1234-1234-1234-123456789abc", "123456789012", "us-east-1", "us-gov-west-1", "eu-isob-east-1",
        "arn:aws:iam::123456789012:role/r", "arn:aws-cn:kms:us-east-1:123456789012:key/abc", "alias/x",
        "mrk-0123456789abcdef0123456789abcdef", "0123456789abcdef0123456789abcdef", "fs-0123abcd", "fsap-0123456789abcdef",
        "/path", "user@example.com", "a b@c", "-----BEGIN CERTIFICATE-----\nabc", "   ", "a_b", "_x", ".", "-a", "a-",
        "quay.io/org/repo", "a/b", "a..b", "abc\n", "abc\r\n", "abc\r", "\nabc", "a\tb", "colour", "color", "aaaa",
        "abcd", "xyz", "b", "ab", "abbc", "Key_1", "k8s.io/name", "x.k8s.io/n-1",
        "redis://cache:6379/0", "s3.amazonaws.com", "a" + String(repeating: "b", count: 70) + "c", "µs", "]", "a-b",
    ]

    static let alphabet: [String] = ["Z", "0", "-", ".", "/", " ", "\t", "\n", "µ"]

    /// The bases, each with its first, middle and last character dropped, and each letter of `alphabet` put in at
    /// its start and end.
    static var subjects: [String] {
        var out = Set(bases)
        for base in bases {
            let chars = Array(base)
            for i in Set([0, chars.count / 2, chars.count - 1]) where chars.indices.contains(i) {
                var c = chars
                c.remove(at: i)
                out.insert(String(c))
            }
            for position in Set([0, chars.count]) {
                for letter in alphabet {
                    var c = chars
                    c.insert(contentsOf: letter, at: position)
                    out.insert(String(c))
                }
            }
            out.insert(base + base)
        }
        return out.sorted()
    }

    @Test func theSchemaPatternsAreAllSimple() {
        #expect(Self.schemaPatterns.count > 20)
        for p in Self.schemaPatterns { #expect(SimplePattern(p) != nil, "\(p)") }
    }

    static let subjectList = subjects

    /// Off the cooperative pool: the 81 cases take seconds of CPU together (ICU on thousands of subjects each).
    @Test(arguments: schemaPatterns + extraPatterns)
    func answersAsICUDoes(_ pattern: String) async throws {
        let simple = try #require(SimplePattern(pattern), "\(pattern)")
        let regex = try NSRegularExpression(pattern: pattern, options: [])
        let (compared, differing) = await offPool { () -> (Int, [String]) in
            var compared = 0
            var differing: [String] = []
            for s in Self.subjectList {
                guard let answer = simple.matches(s) else { continue }
                let expected = regex.firstMatch(in: s, options: [], range: NSRange(s.startIndex..<s.endIndex, in: s)) != nil
                if answer != expected { differing.append(s) }
                compared += 1
            }
            return (compared, differing)
        }
        #expect(differing.isEmpty, "\(pattern) answers otherwise than ICU on \(differing.prefix(5).map(\.debugDescription))")
        #expect(compared > 1000)
    }

    @Test func leavesOtherSyntaxToICU() {
        for p in Self.refused { #expect(SimplePattern(p) == nil, "\(p)") }
        // Subjects outside printable ASCII, and runaway backtracking, are ICU's too.
        #expect(SimplePattern("^a+$")?.matches("aé") == nil)
        #expect(SimplePattern("^(a+)+$")?.matches(String(repeating: "a", count: 40) + "b") == nil)
        // Long subjects: 1,024 characters for a repeated character, 256 for a repeated group (it recurses).
        let label = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"
        #expect(SimplePattern(label)?.matches(String(repeating: "a.", count: 127) + "a") == true)
        #expect(SimplePattern(label)?.matches(String(repeating: "a.", count: 128) + "a") == nil)
        #expect(SimplePattern("^[a-z]+$")?.matches(String(repeating: "a", count: 1024)) == true)
        #expect(SimplePattern("^[a-z]+$")?.matches(String(repeating: "a", count: 1025)) == nil)
    }

    @Test func patternStillMatchesThroughICUWhereNeeded() throws {
        let p = try Pattern("^[a-z]+$")
        #expect(p.matches("abc"))
        #expect(!p.matches("abé"))
        #expect(try Pattern("^\\p{L}+$").matches("abé"))
        #expect(throws: (any Error).self) { try Pattern("(") }
        #expect(throws: JSONSchema.CompileError.self) { try JSONSchema(text: #"{"pattern": "(["}"#) }
    }
}
