import Schema

/// An RFC 6902 JSON Patch that turns one JSON value into another: `replace` for changed scalars, `add` and `remove`
/// for members and list entries. Lists of equal length are compared entry by entry; otherwise the shorter common
/// prefix is, and the rest added or removed from the end (removals last to first, so each index is still valid).
public enum JSONPatchDiff {
    public static func operations(from old: JSONValue, to new: JSONValue) -> [JSONValue] {
        var out: [JSONValue] = []
        diff(old, new, path: "", into: &out)
        return out
    }

    static func diff(_ old: JSONValue, _ new: JSONValue, path: String, into out: inout [JSONValue]) {
        guard old != new else { return }
        switch (old, new) {
        case (.object(let a), .object(let b)):
            let before = Dictionary(a, uniquingKeysWith: { x, _ in x })
            let after = Dictionary(b, uniquingKeysWith: { x, _ in x })
            for (key, value) in a where after[key] == nil { out.append(op("remove", path + "/" + escape(key), value: nil)) }
            for (key, value) in b {
                if let previous = before[key] { diff(previous, value, path: path + "/" + escape(key), into: &out) }
                else { out.append(op("add", path + "/" + escape(key), value: value)) }
            }
        case (.array(let a), .array(let b)):
            let common = min(a.count, b.count)
            for i in 0..<common { diff(a[i], b[i], path: "\(path)/\(i)", into: &out) }
            for i in stride(from: a.count - 1, through: common, by: -1) { out.append(op("remove", "\(path)/\(i)", value: nil)) }
            for i in common..<b.count { out.append(op("add", "\(path)/-", value: b[i])) }
        default:
            out.append(op("replace", path, value: new))
        }
    }

    static func op(_ name: String, _ path: String, value: JSONValue?) -> JSONValue {
        .object([("op", .string(name)), ("path", .string(path))] + (value.map { [("value", $0)] } ?? []))
    }

    /// RFC 6901: `~` and `/` in a key.
    static func escape(_ key: String) -> String {
        key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }
}
