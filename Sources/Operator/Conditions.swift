import Foundation
import Schema

/// A `metav1.Condition`, and the status conditions the operator sets: `Ready`, `Reconciling`, `Stalled`.
public struct Condition: Sendable, Equatable {
    public var type: String
    public var status: Bool?
    public var reason: String
    public var message: String

    public init(_ type: String, _ status: Bool?, reason: String, message: String) {
        self.type = type
        self.status = status
        self.reason = reason
        self.message = message
    }

    var statusText: String { status.map { $0 ? "True" : "False" } ?? "Unknown" }

    /// The condition as JSON, keeping the previous transition time when its status did not change (as
    /// `meta.SetStatusCondition` does), so the time says when it became what it is.
    func json(generation: Int, previous: [JSONValue], now: String) -> JSONValue {
        let old = previous.first { $0["type"]?.stringValue == type }
        let time = old?["status"]?.stringValue == statusText ? old?["lastTransitionTime"]?.stringValue ?? now : now
        return .object([("type", .string(type)), ("status", .string(statusText)), ("reason", .string(reason)),
                        ("message", .string(message)), ("lastTransitionTime", .string(time)),
                        ("observedGeneration", .number(Double(generation)))])
    }

    /// Conditions merged into the previous list by type, sorted by type (a stable order for `kubectl get -o yaml`).
    static func merge(_ conditions: [Condition], into previous: [JSONValue], generation: Int, now: String) -> JSONValue {
        var byType: [String: JSONValue] = [:]
        for old in previous { if let type = old["type"]?.stringValue { byType[type] = old } }
        for condition in conditions { byType[condition.type] = condition.json(generation: generation, previous: previous, now: now) }
        return .array(byType.keys.sorted().map { byType[$0]! })
    }

    /// RFC 3339 to the second, as the API server writes times.
    static func timestamp(_ date: Date = Date()) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
