import Foundation
import Kube
import Schema

/// Kubernetes Events (core/v1) about the operator's objects, as `kubectl describe` and `kubectl get events` show them.
struct EventRecorder {
    let client: KubeClient
    static let component = "kiln-operator"
    /// Events carry a message up to 1 kB; the patch within it is cut to this many characters (the log has it whole).
    static let patchLimit = 500

    /// Records one event on `object` (a JSON object with apiVersion, kind and metadata).
    func record(on object: JSONValue, type: String, reason: String, message: String) async throws {
        let metadata = object["metadata"]
        let name = metadata?["name"]?.stringValue ?? "object"
        let namespace = metadata?["namespace"]?.stringValue ?? client.target.namespace
        let now = Condition.timestamp()
        let suffix = String(UInt64(Date().timeIntervalSince1970 * 1_000_000), radix: 16) + String(UInt16.random(in: 0...UInt16.max), radix: 16)
        let event: JSONValue = .object([
            ("apiVersion", .string("v1")), ("kind", .string("Event")),
            ("metadata", .object([("name", .string("\(name).\(suffix)")), ("namespace", .string(namespace))])),
            ("involvedObject", .object([
                ("apiVersion", object["apiVersion"] ?? .string("")), ("kind", object["kind"] ?? .string("")),
                ("name", .string(name)), ("namespace", .string(namespace)), ("uid", metadata?["uid"] ?? .string("")),
                ("resourceVersion", metadata?["resourceVersion"] ?? .string("")),
            ])),
            ("type", .string(type)), ("reason", .string(reason)), ("message", .string(message)),
            ("source", .object([("component", .string(Self.component))])),
            ("reportingComponent", .string(Self.component)), ("reportingInstance", .string(Self.component)),
            ("firstTimestamp", .string(now)), ("lastTimestamp", .string(now)), ("count", .number(1)),
        ])
        _ = try await client.create(event)
    }

    /// `text` cut to `limit` characters, saying so.
    static func truncated(_ text: String, limit: Int = patchLimit) -> String {
        text.count <= limit ? text : String(text.prefix(limit)) + "… (truncated; the operator's log has the whole patch)"
    }
}
