import Schema

extension TestAPIServer {
    /// The object as a read of `resource` returns it: at the version read (a custom resource of several versions is
    /// stored once and read at any of them: `ServedResource.storedAs`), with the status its script gives it, else the
    /// status stored through the status subresource, else (with `healthyByDefault`) what a healthy cluster reports.
    /// Called locked.
    func asRead(_ key: String, _ stored: JSONValue, of resource: ServedResource) -> JSONValue {
        let object = resource.storedAs == nil ? stored : JSONEditing.setting(stored, ["apiVersion"], .string(resource.groupVersion))
        let status = object["status"].flatMap { $0.objectValue?.isEmpty == false ? $0 : nil }
        guard let status = statusScript?(key, object, gets[key, default: 0]) ?? status
            ?? (healthyByDefault ? Self.healthyStatus(object) : nil) else { return object }
        return JSONEditing.setting(object, ["status"], status)
    }

    /// What a healthy cluster reports for an object of this kind once its controllers have done their work.
    public static func healthyStatus(_ object: JSONValue) -> JSONValue? {
        let generation = object["metadata"]?["generation"] ?? .number(1)
        let replicas = object["spec"]?["replicas"] ?? .number(1)
        func condition(_ type: String) -> JSONValue {
            .array([.object([("type", .string(type)), ("status", .string("True"))])])
        }
        switch object["kind"]?.stringValue {
        case "Namespace": return .object([("phase", .string("Active"))])
        case "CustomResourceDefinition": return .object([("conditions", condition("Established"))])
        case "PersistentVolumeClaim": return .object([("phase", .string("Bound"))])
        case "Job": return .object([("conditions", condition("Complete"))])
        case "Deployment":
            return .object([("observedGeneration", generation), ("replicas", replicas), ("updatedReplicas", replicas),
                            ("readyReplicas", replicas), ("availableReplicas", replicas), ("conditions", condition("Available"))])
        case "StatefulSet":
            return .object([("observedGeneration", generation), ("replicas", replicas), ("readyReplicas", replicas),
                            ("updatedReplicas", replicas), ("currentRevision", .string("r1")), ("updateRevision", .string("r1"))])
        case "DaemonSet":
            return .object([("observedGeneration", generation), ("desiredNumberScheduled", .number(3)), ("numberReady", .number(3)),
                            ("updatedNumberScheduled", .number(3)), ("numberAvailable", .number(3))])
        default: return nil
        }
    }
}
