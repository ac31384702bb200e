/// A matcher for the plain regular expressions that config schemas use (`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`,
/// `^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$`, …), so that compiling a schema and checking ASCII values against it
/// needs no ICU (`NSRegularExpression`), whose first use costs milliseconds of start-up.
///
/// It accepts only a conservative subset whose meaning is the same in ECMA-262 and in ICU: literals (and `\` before
/// ASCII punctuation), `.`, `^`, `$`, groups `(…)` and `(?:…)`, `|`, the quantifiers `?`, `*`, `+`, `{n}`, `{n,}`,
/// `{n,m}` (greedy), classes `[…]`/`[^…]` of characters, ranges and `\d \D \w \W \s \S`, and those escapes outside
/// classes. `init` returns nil for any other pattern, and `matches` answers nil for any subject that is not
/// printable ASCII (plus tab, CR and LF) or is long: `Pattern` then uses `NSRegularExpression`, exactly as before.
struct SimplePattern: Sendable {
    /// A set of characters, as sorted inclusive ranges of Unicode scalar values.
    struct CharSet: Sendable {
        var ranges: [ClosedRange<UInt32>]
        var negated: Bool

        func contains(_ c: UInt32) -> Bool {
            var hit = false
            for r in ranges where r.contains(c) {
                hit = true
                break
            }
            return hit != negated
        }

        static let digit: [ClosedRange<UInt32>] = [0x30...0x39]
        static let word: [ClosedRange<UInt32>] = [0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A]
        /// Over the subjects this matcher takes (printable ASCII, tab, CR, LF), ICU's and ECMA's `\s` agree.
        static let space: [ClosedRange<UInt32>] = [0x09...0x0D, 0x20...0x20]
    }

    indirect enum Node: Sendable {
        case scalar(UInt32)
        /// `.`: anything but a line terminator.
        case any
        case set(CharSet)
        case start
        case end
        case group([[Node]])
        case loop(Node, min: Int, max: Int?)
    }

    let alternatives: [[Node]]
    /// Subjects longer than this go to ICU. A repeated group recurses a few frames per character, so patterns with
    /// one take shorter subjects (a repeated character is an iterative loop).
    let maxSubjectLength: Int
    /// Backtracking steps before giving up and asking ICU.
    static let stepBudget = 200_000

    init?(_ source: String) {
        guard !source.isEmpty else { return nil }
        var parser = Parser(scalars: Array(source.unicodeScalars.map(\.value)))
        guard let alternatives = parser.alternation(), parser.atEnd else { return nil }
        self.alternatives = alternatives
        maxSubjectLength = SimplePattern.repeatsGroup(alternatives) ? 256 : 1024
    }

    static func repeatsGroup(_ alternatives: [[Node]]) -> Bool {
        alternatives.contains { seq in
            seq.contains { node in
                switch node {
                case .loop(.group, _, _): return true
                case .group(let inner): return repeatsGroup(inner)
                default: return false
                }
            }
        }
    }

    /// Whether `subject` has a match anywhere (the pattern is unanchored unless it says `^`/`$`), or nil when this
    /// matcher does not take the subject.
    func matches(_ subject: String) -> Bool? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(subject.utf8.count)
        for b in subject.utf8 {
            guard (0x20...0x7E).contains(b) || b == 0x09 || b == 0x0A || b == 0x0D else { return nil }
            bytes.append(b)
        }
        guard bytes.count <= maxSubjectLength else { return nil }
        let run = Run(bytes: bytes)
        for start in 0...bytes.count {
            if run.alternatives(alternatives, start, { _ in true }) { return true }
            if run.steps > SimplePattern.stepBudget { return nil }
        }
        return run.steps > SimplePattern.stepBudget ? nil : false
    }

    /// One match attempt over one subject: a backtracking matcher in continuation-passing style.
    final class Run {
        let bytes: [UInt8]
        var steps = 0

        init(bytes: [UInt8]) { self.bytes = bytes }

        func alternatives(_ alts: [[Node]], _ i: Int, _ k: (Int) -> Bool) -> Bool {
            for alt in alts where sequence(alt[...], i, k) { return true }
            return false
        }

        func sequence(_ seq: ArraySlice<Node>, _ i: Int, _ k: (Int) -> Bool) -> Bool {
            steps += 1
            if steps > SimplePattern.stepBudget { return false }
            guard let first = seq.first else { return k(i) }
            let rest = seq.dropFirst()
            return node(first, i) { self.sequence(rest, $0, k) }
        }

        /// ICU's `$` without multi-line mode also matches before a line terminator that ends the input.
        func atEnd(_ i: Int) -> Bool {
            let n = bytes.count
            if i == n { return true }
            if i == n - 1 { return bytes[i] == 0x0A || bytes[i] == 0x0D }
            if i == n - 2 { return bytes[i] == 0x0D && bytes[i + 1] == 0x0A }
            return false
        }

        func node(_ node: Node, _ i: Int, _ k: (Int) -> Bool) -> Bool {
            switch node {
            case .scalar(let c):
                return i < bytes.count && UInt32(bytes[i]) == c && k(i + 1)
            case .any:
                return i < bytes.count && bytes[i] != 0x0A && bytes[i] != 0x0D && k(i + 1)
            case .set(let set):
                return i < bytes.count && set.contains(UInt32(bytes[i])) && k(i + 1)
            case .start:
                return i == 0 && k(i)
            case .end:
                return atEnd(i) && k(i)
            case .group(let alts):
                return alternatives(alts, i, k)
            case .loop(let body, let min, let max):
                return loop(body, min, max, 0, i, k)
            }
        }

        func singleCharacter(_ node: Node) -> ((UInt8) -> Bool)? {
            switch node {
            case .scalar(let c): return { UInt32($0) == c }
            case .any: return { $0 != 0x0A && $0 != 0x0D }
            case .set(let set): return { set.contains(UInt32($0)) }
            default: return nil
            }
        }

        /// Greedy repetition: one more iteration first, then the rest. An iteration that consumed nothing ends the
        /// loop once the minimum is reached (as both ECMA-262 and ICU do).
        func loop(_ body: Node, _ min: Int, _ max: Int?, _ count: Int, _ i: Int, _ k: (Int) -> Bool) -> Bool {
            if let single = singleCharacter(body) {
                // One character per iteration: take as many as allowed, then give them back one by one.
                var n = 0
                while max.map({ n < $0 }) ?? true, i + n < bytes.count, single(bytes[i + n]) { n += 1 }
                guard n >= min else { return false }
                for taken in stride(from: n, through: min, by: -1) {
                    steps += 1
                    if steps > SimplePattern.stepBudget { return false }
                    if k(i + taken) { return true }
                }
                return false
            }
            steps += 1
            if steps > SimplePattern.stepBudget { return false }
            if max.map({ count < $0 }) ?? true {
                let more = node(body, i) { j in
                    if j == i && count >= min { return false }
                    return self.loop(body, min, max, count + 1, j, k)
                }
                if more { return true }
            }
            return count >= min && k(i)
        }
    }

    /// Recursive descent over the pattern's scalars; nil for anything outside the subset.
    struct Parser {
        let scalars: [UInt32]
        var i = 0

        init(scalars: [UInt32]) { self.scalars = scalars }

        var atEnd: Bool { i == scalars.count }
        var peek: UInt32? { i < scalars.count ? scalars[i] : nil }

        static func ascii(_ c: Character) -> UInt32 { c.unicodeScalars.first!.value }
        static let bar = ascii("|"), open = ascii("("), close = ascii(")"), openSet = ascii("["), closeSet = ascii("]")
        static let openBrace = ascii("{"), closeBrace = ascii("}"), star = ascii("*"), plus = ascii("+")
        static let question = ascii("?"), dot = ascii("."), caret = ascii("^"), dollar = ascii("$")
        static let backslash = ascii("\\"), dash = ascii("-"), comma = ascii(","), colon = ascii(":")
        static let ampersand = ascii("&")

        static func isDigit(_ c: UInt32) -> Bool { (0x30...0x39).contains(c) }
        static func isAlphanumeric(_ c: UInt32) -> Bool {
            isDigit(c) || (0x41...0x5A).contains(c) || (0x61...0x7A).contains(c)
        }
        /// ASCII punctuation, which both dialects take literally after `\`.
        static func isPunctuation(_ c: UInt32) -> Bool { (0x21...0x7E).contains(c) && !isAlphanumeric(c) }

        mutating func alternation() -> [[Node]]? {
            var alts: [[Node]] = []
            while true {
                guard let seq = sequence() else { return nil }
                alts.append(seq)
                if peek == Parser.bar { i += 1 } else { return alts }
            }
        }

        mutating func sequence() -> [Node]? {
            var seq: [Node] = []
            while let c = peek, c != Parser.bar, c != Parser.close {
                guard let atom = atom() else { return nil }
                guard let quantified = quantifier(atom) else { return nil }
                seq.append(quantified)
            }
            return seq
        }

        mutating func atom() -> Node? {
            guard let c = peek else { return nil }
            i += 1
            switch c {
            case Parser.caret: return .start
            case Parser.dollar: return .end
            case Parser.dot: return .any
            case Parser.open:
                if peek == Parser.question {
                    // Only the non-capturing group `(?:`.
                    guard i + 1 < scalars.count, scalars[i + 1] == Parser.colon else { return nil }
                    i += 2
                }
                guard let alts = alternation(), peek == Parser.close else { return nil }
                i += 1
                return .group(alts)
            case Parser.openSet: return charSet()
            case Parser.backslash:
                guard let e = peek else { return nil }
                i += 1
                if let ranges = Parser.classEscape(e) {
                    return .set(CharSet(ranges: ranges.ranges, negated: ranges.negated))
                }
                return Parser.isPunctuation(e) ? .scalar(e) : nil
            case Parser.close, Parser.closeSet, Parser.openBrace, Parser.closeBrace, Parser.star, Parser.plus,
                 Parser.question, Parser.bar:
                return nil
            default:
                // Control characters and whitespace other than space are left to ICU.
                return c >= 0x20 && c != 0x7F ? .scalar(c) : nil
            }
        }

        static func classEscape(_ e: UInt32) -> (ranges: [ClosedRange<UInt32>], negated: Bool)? {
            switch e {
            case ascii("d"): return (CharSet.digit, false)
            case ascii("D"): return (CharSet.digit, true)
            case ascii("w"): return (CharSet.word, false)
            case ascii("W"): return (CharSet.word, true)
            case ascii("s"): return (CharSet.space, false)
            case ascii("S"): return (CharSet.space, true)
            default: return nil
            }
        }

        mutating func number() -> Int? {
            var n = 0
            var digits = 0
            while let c = peek, Parser.isDigit(c) {
                n = n * 10 + Int(c - 0x30)
                digits += 1
                i += 1
                if digits > 4 { return nil }
            }
            return digits > 0 ? n : nil
        }

        mutating func quantifier(_ atom: Node) -> Node? {
            let (min, max): (Int, Int?)
            switch peek {
            case Parser.star: (min, max) = (0, nil); i += 1
            case Parser.plus: (min, max) = (1, nil); i += 1
            case Parser.question: (min, max) = (0, 1); i += 1
            case Parser.openBrace:
                i += 1
                guard let lower = number() else { return nil }
                var upper: Int? = lower
                if peek == Parser.comma {
                    i += 1
                    upper = peek == Parser.closeBrace ? nil : number()
                    if upper == nil && peek != Parser.closeBrace { return nil }
                }
                guard peek == Parser.closeBrace else { return nil }
                i += 1
                if let upper, upper < lower { return nil }
                (min, max) = (lower, upper)
            default:
                return atom
            }
            // Lazy (`*?`) and possessive (`*+`) forms, a quantifier on an anchor, and stacked quantifiers: ICU's.
            if let next = peek, [Parser.question, Parser.plus, Parser.star, Parser.openBrace].contains(next) { return nil }
            switch atom {
            case .start, .end: return nil
            default: return .loop(atom, min: min, max: max)
            }
        }

        /// `[…]` after the `[`: characters, ranges, `\`-escaped punctuation and class escapes; `-` literal only first
        /// or last. ICU's set syntax (nested `[`, `&&`, `--`, `\p`, `$`, braces) is refused.
        mutating func charSet() -> Node? {
            var negated = false
            if peek == Parser.caret {
                negated = true
                i += 1
            }
            var ranges: [ClosedRange<UInt32>] = []
            var first = true
            while true {
                guard let c = peek else { return nil }
                if c == Parser.closeSet {
                    if first { return nil }
                    i += 1
                    break
                }
                if c == Parser.openSet || c == Parser.dollar || c == Parser.openBrace || c == Parser.closeBrace { return nil }
                if c == Parser.ampersand, i + 1 < scalars.count, scalars[i + 1] == Parser.ampersand { return nil }
                if c == Parser.dash {
                    // Literal only as the first or the last member.
                    let last = i + 1 < scalars.count && scalars[i + 1] == Parser.closeSet
                    guard first || last else { return nil }
                    ranges.append(c...c)
                    i += 1
                    first = false
                    continue
                }
                guard let low = setMember(&ranges) else { return nil }
                first = false
                guard let low = low else { continue } // a class escape, already added
                if peek == Parser.dash, i + 1 < scalars.count, scalars[i + 1] != Parser.closeSet {
                    i += 1
                    var scratch: [ClosedRange<UInt32>] = []
                    guard let high = setMember(&scratch), let high, high >= low else { return nil }
                    ranges.append(low...high)
                } else {
                    ranges.append(low...low)
                }
            }
            return .set(CharSet(ranges: ranges, negated: negated))
        }

        /// One member: returns .some(scalar) for a character, .some(nil) after adding a class escape, nil if refused.
        mutating func setMember(_ ranges: inout [ClosedRange<UInt32>]) -> UInt32?? {
            guard let c = peek else { return nil }
            i += 1
            if c == Parser.backslash {
                guard let e = peek else { return nil }
                i += 1
                if let escape = Parser.classEscape(e) {
                    // A negated escape inside a class would need set subtraction: ICU's business.
                    guard !escape.negated else { return nil }
                    ranges += escape.ranges
                    return .some(nil)
                }
                return Parser.isPunctuation(e) ? .some(e) : nil
            }
            if c == Parser.dash || c == Parser.openSet || c < 0x20 || c == 0x7F { return nil }
            return .some(c)
        }
    }
}
