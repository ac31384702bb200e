import Foundation
import Kube
import Manifests
import Schema

extension ResourceManager {
    /// Polls until every object is ready by its kind's rule, or one failed, or the wave's time is up. A failure names
    /// the object and shows why: its conditions, its recent events, and the state of its pods' containers.
    ///
    /// `seen` holds objects as the apply just read or wrote them: the first round judges those without reading them
    /// again (an unchanged platform is then one read per object in all).
    public func waitReady(_ objects: [ManifestObject], options: ApplyOptions, seen: [ObjectReference: JSONValue] = [:]) async throws {
        let lazyClasses = try await lazyBindingClasses(of: objects)
        var pending = objects.map(ResourceManager.reference)
        let deadline = Date().addingTimeInterval(options.timeout)
        var polls = 0
        var last: [ObjectReference: Readiness] = [:]
        while !pending.isEmpty {
            let round = polls
            let states = try await ResourceManager.concurrently(pending, limit: options.concurrency) { ref -> (ObjectReference, Readiness, JSONValue?) in
                let known = round == 0 ? seen[ref] : nil
                let read: JSONValue?
                if let known { read = known } else { read = try await self.client.get(ref) }
                guard let live = read else { return (ref, .progressing("not found"), nil) }
                let lazy = live["spec"]?["storageClassName"]?.stringValue.map(lazyClasses.contains) ?? false
                return (ref, ReadinessRules.evaluate(live, polls: round, lazyBinding: lazy), live)
            }
            var still: [ObjectReference] = []
            for (ref, state, live) in states {
                last[ref] = state
                switch state {
                case .ready: observe(.ready(ref))
                case .failed(let reason):
                    throw ApplyFailure(object: ref.description, reason: reason, details: try await explain(ref, live))
                case .progressing: still.append(ref)
                }
            }
            pending = still
            guard !pending.isEmpty else { return }
            if Date() >= deadline {
                let ref = pending[0]
                var reason = "not ready after \(Int(options.timeout))s"
                if case .progressing(let why)? = last[ref] { reason += ": \(why)" }
                var details = try await explain(ref, try await client.get(ref))
                if pending.count > 1 { details.append("also not ready: " + pending.dropFirst().prefix(5).map(\.description).joined(separator: ", ")) }
                throw ApplyFailure(object: ref.description, reason: reason, details: details)
            }
            polls += 1
            let interval = min(options.pollInterval * Double(min(polls, 5)), 5, max(0.05, deadline.timeIntervalSinceNow))
            try await Task.sleep(nanoseconds: UInt64(interval * 1_000_000_000))
        }
    }

    /// The storage classes of these claims that bind on first consumer (a claim of one stays Pending until a pod
    /// uses it, so it is not waited for), each read from the cluster once.
    func lazyBindingClasses(of objects: [ManifestObject]) async throws -> Set<String> {
        let names = Set(objects.filter { $0.kind == "PersistentVolumeClaim" }.compactMap { claim in
            claim.body.first { $0.0 == "spec" }?.1["storageClassName"]?.stringValue
        })
        var lazy: Set<String> = []
        for name in names.sorted() {
            let storageClass = try await client.get(ObjectReference(apiVersion: "storage.k8s.io/v1", kind: "StorageClass", namespace: nil, name: name))
            if storageClass?["volumeBindingMode"]?.stringValue == "WaitForFirstConsumer" { lazy.insert(name) }
        }
        return lazy
    }

    /// Why an object is not ready: its conditions, its events, and its pods' waiting containers.
    func explain(_ ref: ObjectReference, _ live: JSONValue?) async throws -> [String] {
        var lines: [String] = []
        for c in live?["status"]?["conditions"]?.arrayValue ?? [] {
            let text = [c["type"]?.stringValue, c["status"]?.stringValue, c["reason"]?.stringValue, c["message"]?.stringValue]
                .compactMap { $0 }.joined(separator: " ")
            lines.append("condition: \(text)")
        }
        if let namespace = ref.namespace {
            let events = (try? await client.list(apiVersion: "v1", kind: "Event", namespace: namespace)) ?? []
            for event in events where event["involvedObject"]?["name"]?.stringValue == ref.name {
                lines.append("event: \(event["reason"]?.stringValue ?? "") \(event["message"]?.stringValue ?? "")")
            }
            if let selector = live?["spec"]?["selector"]?["matchLabels"]?.objectValue, !selector.isEmpty {
                let query = selector.map { "\($0.0)=\($0.1.stringValue ?? "")" }.joined(separator: ",")
                let pods = (try? await client.list(apiVersion: "v1", kind: "Pod", namespace: namespace, labelSelector: query)) ?? []
                for pod in pods.prefix(3) {
                    for container in pod["status"]?["containerStatuses"]?.arrayValue ?? [] {
                        if let waiting = container["state"]?["waiting"] {
                            lines.append("pod \(pod["metadata"]?["name"]?.stringValue ?? ""): container \(container["name"]?.stringValue ?? "") "
                                + "waiting: \(waiting["reason"]?.stringValue ?? "") \(waiting["message"]?.stringValue ?? "")")
                        }
                    }
                }
            }
        }
        return lines
    }
}
