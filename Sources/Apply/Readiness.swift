import Schema

/// Whether a live object is ready, by the rules of its kind.
public enum Readiness: Sendable, Equatable {
    case ready
    case progressing(String)
    case failed(String)

    public var isReady: Bool { self == .ready }
}

/// Readiness rules per kind, as data-free pure functions of the live object:
/// CRD Established; Namespace Active; Deployment rolled out and available; StatefulSet ready and updated; DaemonSet
/// scheduled, updated and ready; Job complete (or failed); PVC bound, unless its class binds on first consumer;
/// a custom resource's `Ready` condition (Unknown for at most `unknownGrace` polls); everything else ready once applied.
public enum ReadinessRules {
    public static func evaluate(_ object: JSONValue, polls: Int = 0, unknownGrace: Int = 20, lazyBinding: Bool = false) -> Readiness {
        let status = object["status"]
        let generation = object["metadata"]?["generation"]?.numberValue ?? 0
        let observed = status?["observedGeneration"]?.numberValue ?? 0
        func number(_ key: String) -> Double { status?[key]?.numberValue ?? 0 }
        func condition(_ type: String) -> (String, String)? {
            for c in status?["conditions"]?.arrayValue ?? [] where c["type"]?.stringValue == type {
                return (c["status"]?.stringValue ?? "", c["message"]?.stringValue ?? c["reason"]?.stringValue ?? "")
            }
            return nil
        }
        switch object["kind"]?.stringValue ?? "" {
        case "CustomResourceDefinition":
            return condition("Established")?.0 == "True" ? .ready : .progressing("not established yet")
        case "Namespace":
            return status?["phase"]?.stringValue == "Active" ? .ready : .progressing("phase \(status?["phase"]?.stringValue ?? "unknown")")
        case "Deployment":
            let want = object["spec"]?["replicas"]?.numberValue ?? 1
            if observed < generation { return .progressing("waiting for the controller to observe generation \(Int(generation))") }
            if let failure = condition("Progressing"), failure.0 == "False" { return .failed("rollout stuck: \(failure.1)") }
            if number("updatedReplicas") < want { return .progressing("\(Int(number("updatedReplicas")))/\(Int(want)) replicas updated") }
            if number("availableReplicas") < want { return .progressing("\(Int(number("availableReplicas")))/\(Int(want)) replicas available") }
            return .ready
        case "StatefulSet":
            let want = object["spec"]?["replicas"]?.numberValue ?? 1
            if observed < generation { return .progressing("waiting for the controller to observe generation \(Int(generation))") }
            if number("readyReplicas") < want { return .progressing("\(Int(number("readyReplicas")))/\(Int(want)) replicas ready") }
            if number("updatedReplicas") < want { return .progressing("\(Int(number("updatedReplicas")))/\(Int(want)) replicas updated") }
            if let current = status?["currentRevision"]?.stringValue, let update = status?["updateRevision"]?.stringValue, current != update {
                return .progressing("rolling out revision \(update)")
            }
            return .ready
        case "DaemonSet":
            if observed < generation { return .progressing("waiting for the controller to observe generation \(Int(generation))") }
            let desired = number("desiredNumberScheduled")
            if number("updatedNumberScheduled") < desired { return .progressing("\(Int(number("updatedNumberScheduled")))/\(Int(desired)) pods updated") }
            if number("numberReady") < desired { return .progressing("\(Int(number("numberReady")))/\(Int(desired)) pods ready") }
            return .ready
        case "Job":
            if condition("Failed")?.0 == "True" { return .failed("job failed: \(condition("Failed")?.1 ?? "")") }
            return condition("Complete")?.0 == "True" ? .ready : .progressing("job running")
        case "PersistentVolumeClaim":
            if lazyBinding { return .ready }
            return status?["phase"]?.stringValue == "Bound" ? .ready : .progressing("claim \(status?["phase"]?.stringValue ?? "pending")")
        default:
            guard let ready = condition("Ready") else { return .ready }
            switch ready.0 {
            case "True": return .ready
            case "False": return .failed(ready.1.isEmpty ? "Ready is False" : ready.1)
            default: return polls < unknownGrace ? .progressing("Ready is Unknown") : .failed("Ready stayed Unknown: \(ready.1)")
            }
        }
    }
}
