import Foundation
import Kube
import Schema

/// Kubernetes Events (core/v1) about the operator's objects, as `kubectl describe` and `kubectl get events` show them.
/// A repeat of an event (same object, type, reason and message) within `EventSeries.window` raises the first one's
/// `count` and `lastTimestamp` instead of adding another, as client-go's event correlator does: persistent drift in
/// warn mode is one Event counting up, not one per check.
struct EventRecorder {
    let client: KubeClient
    let series: EventSeries
    static let component = "kiln-operator"
    /// Events carry a message up to 1 kB; the patch within it is cut to this many characters (the log has it whole).
    static let patchLimit = 500

    /// Records one event on `object` (a JSON object with apiVersion, kind and metadata).
    func record(on object: JSONValue, type: String, reason: String, message: String) async throws {
        let metadata = object["metadata"]
        let name = metadata?["name"]?.stringValue ?? "object"
        let namespace = metadata?["namespace"]?.stringValue ?? client.target.namespace
        let now = Condition.timestamp()
        let key = [object["apiVersion"]?.stringValue ?? "", object["kind"]?.stringValue ?? "", namespace, name, type, reason, message]
            .joined(separator: "\u{0}")
        if let earlier = await series.recent(key) {
            let ref = ObjectReference(apiVersion: "v1", kind: "Event", namespace: namespace, name: earlier.name)
            let body: JSONValue = .object([("count", .number(Double(earlier.count + 1))), ("lastTimestamp", .string(now))])
            do {
                _ = try await client.patch(ref, type: .merge, body: Array(body.jsonText.utf8), fieldManager: Self.component)
                await series.counted(key, name: earlier.name, count: earlier.count + 1)
                return
            } catch let error as KubeError where error.status == 404 {
                // The Event expired (the API server keeps them an hour by default): start a new one.
            }
        }
        let suffix = String(UInt64(Date().timeIntervalSince1970 * 1_000_000), radix: 16) + String(UInt16.random(in: 0...UInt16.max), radix: 16)
        let eventName = "\(name).\(suffix)"
        let event: JSONValue = .object([
            ("apiVersion", .string("v1")), ("kind", .string("Event")),
            ("metadata", .object([("name", .string(eventName)), ("namespace", .string(namespace))])),
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
        await series.counted(key, name: eventName, count: 1)
    }

    /// `text` cut to `limit` characters, saying so.
    static func truncated(_ text: String, limit: Int = patchLimit) -> String {
        text.count <= limit ? text : String(text.prefix(limit)) + "… (truncated; the operator's log has the whole patch)"
    }
}

/// The events one operator process recorded lately, by what makes them the same event.
actor EventSeries {
    /// How long a repeat counts up the earlier event (client-go's correlator: 10 minutes).
    static let window: Duration = .seconds(600)
    /// At most this many series are remembered; the oldest go first.
    static let capacity = 4096

    private var entries: [String: (name: String, count: Int, at: ContinuousClock.Instant)] = [:]

    func recent(_ key: String) -> (name: String, count: Int)? {
        guard let entry = entries[key], entry.at.duration(to: .now) < Self.window else { return nil }
        return (entry.name, entry.count)
    }

    /// The series' event is `name`, now at `count`; its window runs from when that event was created.
    func counted(_ key: String, name: String, count: Int) {
        let since = entries[key].flatMap { $0.name == name ? $0.at : nil } ?? .now
        entries[key] = (name, count, since)
        if entries.count > Self.capacity, let oldest = entries.min(by: { $0.value.at < $1.value.at })?.key { entries[oldest] = nil }
    }
}
