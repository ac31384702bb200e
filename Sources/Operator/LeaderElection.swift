import Foundation
import Kube
import Schema

/// Leader election on a `coordination.k8s.io/v1` Lease, as client-go's leaderelection does it: the leader renews the
/// Lease every `renewInterval`; another replica takes it over only when it has seen the same record unchanged for a
/// whole `leaseDuration` (measured on its own clock, so clock skew between nodes does not matter), or when the
/// holder released it on shutdown. Writes are conditional on the resourceVersion read: of two replicas trying at
/// once, one wins.
public actor LeaderElector {
    let client: KubeClient
    let reference: ObjectReference
    public let identity: String
    let timing: OperatorTiming
    private var observed: (record: String, at: ContinuousClock.Instant)?
    public private(set) var isLeader = false
    /// The holder the last attempt saw ("" for none or released).
    public private(set) var holder = ""

    /// Another replica holds the Lease (as the last attempt saw it): this one must stop leading at once.
    public var heldByAnother: Bool { !holder.isEmpty && holder != identity }

    /// The Lease's name unless `kiln operator --lease-name` says otherwise (what `kiln logs` reads too).
    public static let defaultLeaseName = "kiln-operator"

    public init(client: KubeClient, namespace: String, name: String = defaultLeaseName, identity: String, timing: OperatorTiming) {
        self.client = client
        reference = ObjectReference(apiVersion: "coordination.k8s.io/v1", kind: "Lease", namespace: namespace, name: name)
        self.identity = identity
        self.timing = timing
    }

    /// One attempt: create the Lease, renew ours, or take over an expired or released one. True when we hold it.
    @discardableResult
    public func tryAcquireOrRenew() async throws -> Bool {
        let now = Self.microTime()
        guard let live = try await client.get(reference) else {
            _ = try await client.create(lease(makeSpec(acquireTime: now, transitions: 0), resourceVersion: nil))
            holder = identity
            isLeader = true
            return true
        }
        let spec = live["spec"] ?? .object([])
        let holder = spec["holderIdentity"]?.stringValue ?? ""
        self.holder = holder
        let record = spec.jsonText
        if observed?.record != record { observed = (record, .now) }
        let transitions = Int(spec["leaseTransitions"]?.numberValue ?? 0)
        if holder != identity, !holder.isEmpty {
            let duration = spec["leaseDurationSeconds"]?.numberValue ?? timing.leaseDuration
            guard let seen = observed, seen.at.duration(to: .now) >= .milliseconds(Int(duration * 1000)) else {
                isLeader = false
                return false
            }
        }
        let acquire = holder == identity ? spec["acquireTime"]?.stringValue ?? now : now
        let next = makeSpec(acquireTime: acquire, transitions: holder == identity ? transitions : transitions + 1)
        do {
            let stored = try await client.replace(lease(next, resourceVersion: live["metadata"]?["resourceVersion"]?.stringValue))
            observed = (stored["spec"]?.jsonText ?? "", .now)
            self.holder = identity
            isLeader = true
            return true
        } catch let error as KubeError where error.status == 409 {
            isLeader = false
            return false
        }
    }

    /// Gives the Lease up (on shutdown), so another replica takes over at once instead of after `leaseDuration`.
    public func release() async {
        guard isLeader, let live = try? await client.get(reference), live["spec"]?["holderIdentity"]?.stringValue == identity else { return }
        let spec = (live["spec"] ?? .object([])).with("holderIdentity", .string("")).with("leaseDurationSeconds", .number(1))
            .with("renewTime", .string(Self.microTime()))
        _ = try? await client.replace(lease(spec, resourceVersion: live["metadata"]?["resourceVersion"]?.stringValue))
        isLeader = false
    }

    private func makeSpec(acquireTime: String, transitions: Int) -> JSONValue {
        .object([("holderIdentity", .string(identity)), ("leaseDurationSeconds", .number(max(1, timing.leaseDuration.rounded(.up)))),
                 ("acquireTime", .string(acquireTime)), ("renewTime", .string(Self.microTime())),
                 ("leaseTransitions", .number(Double(transitions)))])
    }

    private func lease(_ spec: JSONValue, resourceVersion: String?) -> JSONValue {
        var metadata: [(String, JSONValue)] = [("name", .string(reference.name)), ("namespace", .string(reference.namespace ?? ""))]
        if let resourceVersion { metadata.append(("resourceVersion", .string(resourceVersion))) }
        return .object([("apiVersion", .string(reference.apiVersion)), ("kind", .string("Lease")), ("metadata", .object(metadata)),
                        ("spec", spec)])
    }

    /// `metav1.MicroTime`: RFC 3339 with microseconds.
    static func microTime(_ date: Date = Date()) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let text = formatter.string(from: date)  // …:05.123Z
        return text.replacingOccurrences(of: "Z", with: "000Z")
    }
}
