import CYAML
import Diagnostics

/// The outcome of parsing: the documents read, and every problem found on the way. A fatal problem (a syntax
/// error, a blown limit) ends parsing; others (duplicate keys, tab indentation) are collected and parsing goes on.
public struct ParsedYAML: Sendable {
    public var documents: [Node]
    /// Where each document starts (its `---`, or its first node).
    public var documentStarts: [SourceLocation] = []
    public var diagnostics: [Diagnostic]
}

/// YAML text → `Node` trees, on libyaml's event API. libyaml does the tokenising; kiln builds the tree itself so that
/// it controls aliases (expanded against a budget), depth, duplicate keys and tags.
public enum YAMLParser {
    /// Parses every document in `bytes`.
    public static func parse(_ bytes: [UInt8], limits: YAMLLimits = .default) -> ParsedYAML {
        if bytes.count > limits.maxBytes {
            return ParsedYAML(documents: [], diagnostics: [.error(
                YAMLCode.tooLarge, "file is \(bytes.count) bytes, larger than the limit of \(limits.maxBytes) bytes",
                help: "kiln refuses inputs over \(limits.maxBytes >> 20) MiB before parsing them")])
        }
        if let bad = UTF8Check.firstInvalidByte(in: bytes) {
            let loc = UTF8Check.location(ofByte: bad, in: bytes)
            return ParsedYAML(documents: [], diagnostics: [.error(
                YAMLCode.invalidUTF8, "invalid UTF-8 at byte offset \(bad)", at: loc,
                help: "save the file as UTF-8")])
        }
        var builder = TreeBuilder(limits: limits)
        bytes.withUnsafeBufferPointer { builder.run($0) }
        var diagnostics = builder.diagnostics
        if builder.failed {
            // libyaml's own message for a tab is obscure; name the tab when one is in play.
            if let tab = TabIndentation.first(in: bytes, upToLine: builder.failureLine ?? Int.max,
                                                 skipping: builder.blockScalarLines) {
                diagnostics = [tab]
            }
        } else {
            diagnostics += TabIndentation.all(in: bytes, skipping: builder.blockScalarLines)
        }
        return ParsedYAML(documents: builder.documents, documentStarts: builder.documentStarts, diagnostics: diagnostics)
    }

    /// Parses exactly one non-empty document: an empty file and a second document are errors.
    public static func parseDocument(_ bytes: [UInt8], limits: YAMLLimits = .default) -> (Node?, [Diagnostic]) {
        var parsed = parse(bytes, limits: limits)
        if parsed.diagnostics.contains(where: { $0.severity == .error && Self.isFatal($0.code) }) {
            return (nil, parsed.diagnostics)
        }
        guard let first = parsed.documents.first, !(first.scalar?.isNull ?? false) || first.tag != nil else {
            parsed.diagnostics.append(.error(
                YAMLCode.emptyDocument, "the file holds no YAML document",
                help: "a config is a YAML mapping, starting with `schema: \"1.14\"`"))
            return (nil, parsed.diagnostics)
        }
        if parsed.documents.count > 1 {
            parsed.diagnostics.append(.error(
                YAMLCode.multipleDocuments,
                "expected one YAML document, found \(parsed.documents.count)",
                at: parsed.documentStarts.count > 1 ? parsed.documentStarts[1] : parsed.documents[1].location,
                help: "split the file, or remove the `---` separator"))
        }
        return (first, parsed.diagnostics)
    }

    static func isFatal(_ code: String) -> Bool {
        [YAMLCode.syntax, YAMLCode.aliasBudget, YAMLCode.tooDeep, YAMLCode.tooLarge, YAMLCode.invalidUTF8,
         YAMLCode.complexKey, YAMLCode.undefinedAlias, YAMLCode.tabIndentation, YAMLCode.unsupportedTag].contains(code)
    }
}

/// Builds `Node`s from libyaml events with a stack of open collections.
private struct TreeBuilder {
    let limits: YAMLLimits
    var documents: [Node] = []
    var documentStarts: [SourceLocation] = []
    var diagnostics: [Diagnostic] = []
    var failed = false
    var failureLine: Int?
    var blockScalarLines: [ClosedRange<Int>] = []

    private var stack: [Frame] = []
    private var anchors: [String: Node] = [:]
    private var aliasNodes = 0
    private var root: Node?
    private var documentStart: SourceLocation?

    init(limits: YAMLLimits) { self.limits = limits }

    /// An open sequence or mapping. A class, so appending to it does not copy what it holds (a value-type frame
    /// popped, appended to and pushed back copies its array every time: quadratic in the collection's size).
    private final class Frame {
        let isMapping: Bool
        let start: SourceLocation
        let anchor: String?
        let tag: String?
        var items: [Node] = []
        var pairs: [Pair] = []
        var key: Node?
        var seen: [String: SourceLocation] = [:]

        init(mapping: Bool, at start: SourceLocation, anchor: String?, tag: String?) {
            isMapping = mapping
            self.start = start
            self.anchor = anchor
            self.tag = tag
        }
    }

    mutating func run(_ buffer: UnsafeBufferPointer<UInt8>) {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            fail(.error(YAMLCode.syntax, "could not initialise the YAML parser"))
            return
        }
        defer { yaml_parser_delete(&parser) }
        yaml_parser_set_input_string(&parser, buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!, buffer.count)

        var event = yaml_event_t()
        while !failed {
            guard yaml_parser_parse(&parser, &event) == 1 else {
                failFromParser(parser)
                return
            }
            let done = event.type == YAML_STREAM_END_EVENT
            handle(event)
            yaml_event_delete(&event)
            if done { return }
        }
    }

    private mutating func handle(_ event: yaml_event_t) {
        let at = Self.location(event.start_mark)
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            documentStart = event.data.document_start.implicit == 1 ? nil : at
            anchors = [:]
            aliasNodes = 0
            root = nil
        case YAML_DOCUMENT_END_EVENT:
            if let root {
                documents.append(root)
                documentStarts.append(documentStart ?? root.location)
            }
        case YAML_SCALAR_EVENT:
            let s = event.data.scalar
            let text = String(decoding: UnsafeBufferPointer(start: s.value, count: s.length), as: UTF8.self)
            let style: Scalar.Style
            switch s.style {
            case YAML_SINGLE_QUOTED_SCALAR_STYLE: style = .singleQuoted
            case YAML_DOUBLE_QUOTED_SCALAR_STYLE: style = .doubleQuoted
            case YAML_LITERAL_SCALAR_STYLE: style = .literal
            case YAML_FOLDED_SCALAR_STYLE: style = .folded
            default: style = .plain
            }
            if style == .literal || style == .folded {
                blockScalarLines.append(at.line...Int(event.end_mark.line) + 1)
            }
            guard let tag = checkedTag(s.tag, at: at) else { return }
            let node = Node(.scalar(Scalar(text, style: style)), at: at, tag: tag.isEmpty ? nil : tag)
            record(anchor: s.anchor, node)
            attach(node)
        case YAML_ALIAS_EVENT:
            let name = String(cString: event.data.alias.anchor)
            guard let target = anchors[name] else {
                fail(.error(YAMLCode.undefinedAlias, "alias *\(name) refers to no anchor defined before it", at: at))
                return
            }
            aliasNodes += target.size
            if aliasNodes > limits.maxAliasNodes {
                fail(.error(
                    YAMLCode.aliasBudget,
                    "aliases expand to more than \(limits.maxAliasNodes) nodes",
                    at: at, help: "this looks like an alias bomb (\"billion laughs\"); write the values out instead"))
                return
            }
            var copy = target
            copy.location = at
            attach(copy)
        case YAML_SEQUENCE_START_EVENT:
            let e = event.data.sequence_start
            guard let tag = checkedTag(e.tag, at: at), push(at) else { return }
            stack.append(Frame(mapping: false, at: at, anchor: Self.string(e.anchor), tag: tag.isEmpty ? nil : tag))
        case YAML_MAPPING_START_EVENT:
            let e = event.data.mapping_start
            guard let tag = checkedTag(e.tag, at: at), push(at) else { return }
            stack.append(Frame(mapping: true, at: at, anchor: Self.string(e.anchor), tag: tag.isEmpty ? nil : tag))
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            guard let frame = stack.popLast() else { return }
            let node = Node(frame.isMapping ? .mapping(frame.pairs) : .sequence(frame.items), at: frame.start, tag: frame.tag)
            if let anchor = frame.anchor { anchors[anchor] = node }
            attach(node)
        default:
            break
        }
    }

    private mutating func push(_ at: SourceLocation) -> Bool {
        if stack.count >= limits.maxDepth {
            fail(.error(YAMLCode.tooDeep, "nesting is deeper than \(limits.maxDepth) levels", at: at))
            return false
        }
        return true
    }

    private mutating func record(anchor: UnsafeMutablePointer<yaml_char_t>?, _ node: Node) {
        if let name = Self.string(anchor) { anchors[name] = node }
    }

    /// Adds a finished node to the collection being built, or makes it the document's root.
    private mutating func attach(_ node: Node) {
        guard let top = stack.last else {
            root = node
            return
        }
        guard top.isMapping else {
            top.items.append(node)
            return
        }
        guard let key = top.key else {
            guard node.scalar != nil else {
                fail(.error(YAMLCode.complexKey, "mapping keys must be scalars, not a sequence or mapping", at: node.location))
                return
            }
            top.key = node
            return
        }
        top.key = nil
        let name = key.scalar?.text ?? ""
        if let first = top.seen[name] {
            diagnostics.append(.error(
                YAMLCode.duplicateKey, "duplicate key `\(name)`", at: key.location,
                notes: ["first defined at line \(first.line), column \(first.column)"],
                help: "remove one of the two; YAML readers disagree on which one wins"))
        } else {
            top.seen[name] = key.location
            top.pairs.append(Pair(key: key, value: node))
        }
    }

    /// Long-form tag ("" when there is none), or nil after reporting a tag kiln does not read.
    private mutating func checkedTag(_ raw: UnsafeMutablePointer<yaml_char_t>?, at: SourceLocation) -> String? {
        guard let tag = Self.string(raw) else { return "" }
        let core = ["str", "int", "float", "bool", "null", "map", "seq"].map { "tag:yaml.org,2002:" + $0 }
        if core.contains(tag) || tag == "!" { return tag }
        fail(.error(YAMLCode.unsupportedTag, "unsupported tag `\(tag)`", at: at,
                    help: "kiln reads the YAML core tags only (!!str, !!int, !!float, !!bool, !!null)"))
        return nil
    }

    private mutating func fail(_ d: Diagnostic) {
        diagnostics.append(d)
        failed = true
        failureLine = d.location?.line
    }

    private mutating func failFromParser(_ parser: yaml_parser_t) {
        let problem = parser.problem.map { String(cString: $0) } ?? "unknown problem"
        let at = Self.location(parser.problem_mark)
        var notes: [String] = []
        if let context = parser.context.map({ String(cString: $0) }) {
            let c = Self.location(parser.context_mark)
            notes.append("\(context) at line \(c.line), column \(c.column)")
        }
        fail(.error(YAMLCode.syntax, "YAML syntax error: \(problem)", at: at, notes: notes,
                    help: Self.hint(for: problem)))
    }

    private static func hint(for problem: String) -> String? {
        switch problem {
        case "mapping values are not allowed in this context":
            return "a value that contains `: ` must be quoted, and a key must start its own line"
        case "did not find expected key", "did not find expected '-' indicator":
            return "check the indentation of this line against the lines above it"
        case "found character that cannot start any token":
            return "quote values that begin with `@`, `` ` `` or `%`"
        default:
            return nil
        }
    }

    private static func location(_ mark: yaml_mark_t) -> SourceLocation {
        SourceLocation(line: Int(mark.line) + 1, column: Int(mark.column) + 1, offset: Int(mark.index))
    }

    private static func string(_ p: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let p else { return nil }
        return String(cString: p)
    }
}
