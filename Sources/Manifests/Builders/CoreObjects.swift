import Schema

/// Namespaces, config, secrets, service accounts, services and claims.
public enum CoreObjects {
    public static func namespace(_ name: String, labels: [String: String], annotations: [String: String], release: String) -> ManifestObject {
        ManifestObject(apiVersion: "v1", kind: "Namespace", name: name, labels: labels, annotations: annotations, body: [], release: release)
    }

    public static func configMap(_ name: String, namespace: String, data: [String: String], labels: [String: String],
                                 release: String) -> ManifestObject {
        ManifestObject(apiVersion: "v1", kind: "ConfigMap", name: name, namespace: namespace, labels: labels,
                       body: data.isEmpty ? [] : [("data", .sortedObject(data))], release: release)  // the server drops `data: {}`
    }

    /// Secret values go in `stringData`: kiln never prints them, and a reader of the secrets directory sees text.
    public static func secret(_ name: String, namespace: String, type: String, stringData: [String: String],
                              labels: [String: String], release: String) -> ManifestObject {
        ManifestObject(apiVersion: "v1", kind: "Secret", name: name, namespace: namespace, labels: labels,
                       body: [("type", .string(type)), ("stringData", .sortedObject(stringData))], release: release)
    }

    /// `annotations` carry cloud workload identity (IRSA role ARNs, GKE service accounts, Azure client ids).
    public static func serviceAccount(_ name: String, namespace: String, labels: [String: String], annotations: [String: String] = [:],
                                      pullSecret: String?, release: String) -> ManifestObject {
        var body: [(String, JSONValue)] = []
        if let pullSecret { body.append(("imagePullSecrets", .array([.object([("name", .string(pullSecret))])]))) }
        return ManifestObject(apiVersion: "v1", kind: "ServiceAccount", name: name, namespace: namespace, labels: labels,
                              annotations: annotations, body: body, release: release)
    }

    public struct ServicePort: Sendable {
        public let name: String
        public let port: Int
        public let targetPort: JSONValue
        public let nodePort: Int?

        public init(_ name: String, _ port: Int, target: JSONValue? = nil, nodePort: Int? = nil) {
            self.name = name
            self.port = port
            targetPort = target ?? .string(name)
            self.nodePort = nodePort
        }
    }

    /// A Service; `headless` for the stable network identity of a StatefulSet.
    public static func service(_ name: String, namespace: String, labels: [String: String], annotations: [String: String] = [:],
                               selector: [String: String], ports: [ServicePort], type: String = "ClusterIP", headless: Bool = false,
                               externalTrafficPolicy: String? = nil, loadBalancerSourceRanges: [String] = [],
                               release: String) -> ManifestObject {
        var spec: [(String, JSONValue?)] = [("type", .string(type))]
        if headless { spec.append(("clusterIP", .string("None"))) }
        spec.append(("selector", .sortedObject(selector)))
        spec.append(("ports", .array(ports.map { p in
            .fields([("name", .string(p.name)), ("port", .number(Double(p.port))), ("targetPort", p.targetPort),
                     ("protocol", .string("TCP")), ("nodePort", p.nodePort.map { .number(Double($0)) })])
        })))
        spec.append(("externalTrafficPolicy", externalTrafficPolicy.map(JSONValue.string)))
        if !loadBalancerSourceRanges.isEmpty {
            spec.append(("loadBalancerSourceRanges", .array(loadBalancerSourceRanges.map(JSONValue.string))))
        }
        return ManifestObject(apiVersion: "v1", kind: "Service", name: name, namespace: namespace, labels: labels,
                              annotations: annotations, body: [("spec", .fields(spec))], release: release)
    }

    public static func claimSpec(storageClass: String, size: String, accessMode: String = "ReadWriteOnce") -> JSONValue {
        .object([
            ("accessModes", .array([.string(accessMode)])),
            ("storageClassName", .string(storageClass)),
            ("resources", .object([("requests", .object([("storage", .string(size))]))])),
        ])
    }

    public static func persistentVolumeClaim(_ name: String, namespace: String, labels: [String: String], storageClass: String,
                                             size: String, accessMode: String, release: String) -> ManifestObject {
        ManifestObject(apiVersion: "v1", kind: "PersistentVolumeClaim", name: name, namespace: namespace, labels: labels,
                       body: [("spec", claimSpec(storageClass: storageClass, size: size, accessMode: accessMode))], release: release)
    }
}
