import Foundation
import Schema

/// Secret values in a diff: each shown as `***`, or, when it changed, `*** (before)` on the live side and
/// `*** (after)` on the desired side. No digest either: a short hash of a password can be checked against guesses.
enum SecretMask {
    static let hidden = JSONValue.string("***")
    static let before = JSONValue.string("*** (before)")
    static let after = JSONValue.string("*** (after)")

    /// The two sides of a Secret's diff, masked together (so a change still shows). Objects of other kinds pass.
    static func pair(live: JSONValue?, desired: JSONValue) -> (JSONValue?, JSONValue) {
        guard desired["kind"]?.stringValue == "Secret" else { return (live, desired) }
        let old = values(live), new = values(desired)
        func masked(_ object: JSONValue?, side: JSONValue, other: [String: JSONValue]) -> JSONValue? {
            guard var members = object?.objectValue else { return object }
            members = members.filter { $0.0 != "stringData" }
            let own = values(object)
            let data = own.keys.sorted().map { key -> (String, JSONValue) in
                (key, other[key].map { $0 == own[key]! ? hidden : side } ?? hidden)
            }
            members.removeAll { $0.0 == "data" }
            if !data.isEmpty { members.append(("data", .object(data))) }
            return .object(members)
        }
        return (masked(live, side: before, other: new), masked(desired, side: after, other: old) ?? desired)
    }

    /// A Secret's values by key, `stringData` folded into base64 `data` as the server stores it.
    static func values(_ object: JSONValue?) -> [String: JSONValue] {
        guard let object else { return [:] }
        var out: [String: JSONValue] = [:]
        for (key, value) in UnchangedCheck.foldingStringData(object)["data"]?.objectValue ?? [] { out[key] = value }
        return out
    }

    /// A single object's values all hidden (an object to create, an event, a log line).
    static func hidingAll(_ object: JSONValue) -> JSONValue {
        pair(live: nil, desired: object).1
    }
}
