import Foundation
import Diagnostics
import Schema

/// Typed reads of a config for the semantic rules: a value where the file sets one, else the schema's default.
/// Values of the wrong type read as unset (the schema check has already reported them).
public struct ConfigView: Sendable {
    public let root: Instance
    let schema: JSONSchema

    public init(_ root: Instance, schema: JSONSchema = InstallConfigSchema.shared) {
        self.root = root
        self.schema = schema
    }

    /// The instance at a dotted path, if the file has it. Rules call this for every key they read, so it compares
    /// bytes instead of making a String of each segment.
    public func instance(_ path: String) -> Instance? {
        // Segment by segment without splitting the path into an array: renders read thousands of paths.
        var node = root
        let utf8 = path.utf8
        var start = utf8.startIndex
        while start < utf8.endIndex {
            let end = utf8[start...].firstIndex(of: UInt8(ascii: ".")) ?? utf8.endIndex
            if end > start {
                let segment = utf8[start..<end]
                guard let next = node.members?.first(where: { $0.key.utf8.elementsEqual(segment) }) else { return nil }
                node = next.value
            }
            start = end == utf8.endIndex ? end : utf8.index(after: end)
        }
        return node
    }

    /// Whether the file writes `path` at all (a `null` counts as written).
    public func has(_ path: String) -> Bool { instance(path) != nil }

    public func bool(_ path: String) -> Bool {
        if let inst = instance(path) {
            switch inst.content {
            case .bool(let b): return b
            case .untyped(let t):
                if ["true", "True", "TRUE"].contains(t) || ["yes", "Yes", "YES", "on", "On", "ON", "y", "Y"].contains(t) { return true }
                if ["false", "False", "FALSE"].contains(t) || ["no", "No", "NO", "off", "Off", "OFF", "n", "N"].contains(t) { return false }
            default: break
            }
        }
        return schemaDefault(path)?.boolValue ?? false
    }

    /// The text at `path`, or the schema default; nil when neither is a string. An unfilled placeholder is text
    /// here (the value is coming); rules that judge a value's form skip placeholders, which KILN-C004 reports.
    public func string(_ path: String) -> String? {
        if let inst = instance(path) {
            switch inst.content {
            case .string(let s): return s
            case .untyped(let s): return ["~", "null", "Null", "NULL"].contains(s) ? nil : s
            case .number(let n): return JSONValue.number(n).jsonText
            default: return nil
            }
        }
        return schemaDefault(path)?.stringValue
    }

    /// A string that is set and not blank.
    public func filled(_ path: String) -> String? {
        guard let s = string(path)?.trimmingCharacters(in: .whitespaces), !s.isEmpty else { return nil }
        return s
    }

    public func number(_ path: String) -> Double? {
        guard let inst = instance(path) else { return nil }
        switch inst.content {
        case .number(let n): return n
        case .untyped(let s), .string(let s): return Double(s)
        default: return nil
        }
    }

    public func list(_ path: String) -> [Instance] { instance(path)?.elements ?? [] }

    /// A mapping's entries whose values are scalars, as text (labels, annotations, node selectors).
    public func map(_ path: String) -> [String: String] {
        var out: [String: String] = [:]
        for member in instance(path)?.members ?? [] {
            if let value = member.value.scalarText { out[member.key] = value }
        }
        return out
    }

    public func isNull(_ path: String) -> Bool {
        guard let inst = instance(path) else { return false }
        switch inst.content {
        case .null: return true
        case .untyped(let s): return ["", "~", "null", "Null", "NULL"].contains(s)
        default: return false
        }
    }

    /// Where the key of `path` is written; if it is not, where its nearest written ancestor's key is.
    public func keyLocation(_ path: String) -> SourceLocation? {
        var parts = path.split(separator: ".").map(String.init)
        while !parts.isEmpty {
            let last = parts.removeLast()
            let parent = parts.isEmpty ? root : instance(parts.joined(separator: "."))
            if let member = parent?.members?.first(where: { $0.key == last }) {
                return member.keyLocation ?? member.value.location
            }
        }
        return root.location
    }

    /// A control-plane install (the default), or a data-plane-only install.
    public var isDataPlaneOnly: Bool {
        !bool("control_plane")
    }

    private func schemaDefault(_ path: String) -> JSONValue? {
        schema.defaultValue(atDottedPath: path)
    }
}
