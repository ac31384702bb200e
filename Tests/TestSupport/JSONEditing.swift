import Foundation
import Schema

/// Reading and writing JSON at a path of field names.
public enum JSONEditing {
    public static func value(_ object: JSONValue, _ path: [String]) -> JSONValue? {
        path.reduce(Optional(object)) { $0?[$1] }
    }

    /// `value` with `new` at `path` (object keys; missing objects on the way are made).
    public static func setting(_ value: JSONValue, _ path: ArraySlice<String>, _ new: JSONValue) -> JSONValue {
        guard let first = path.first else { return new }
        var members = value.objectValue ?? []
        if let i = members.firstIndex(where: { $0.0 == first }) {
            members[i].1 = setting(members[i].1, path.dropFirst(), new)
        } else {
            members.append((first, setting(.object([]), path.dropFirst(), new)))
        }
        return .object(members)
    }

    static func removing(_ value: JSONValue, _ path: ArraySlice<String>) -> JSONValue {
        guard let first = path.first, var members = value.objectValue else { return value }
        if path.count == 1 {
            members.removeAll { $0.0 == first }
        } else if let i = members.firstIndex(where: { $0.0 == first }) {
            members[i].1 = removing(members[i].1, path.dropFirst())
        }
        return .object(members)
    }

    /// A Secret's `stringData` folded into base64 `data`, as the API server stores it.
    static func foldingStringData(_ object: JSONValue) -> JSONValue {
        guard object["kind"]?.stringValue == "Secret", let stringData = object["stringData"]?.objectValue else { return object }
        var result = removing(object, ["stringData"])
        for (key, value) in stringData {
            result = setting(result, ["data", key], .string(Data((value.stringValue ?? "").utf8).base64EncodedString()))
        }
        return result
    }
}
