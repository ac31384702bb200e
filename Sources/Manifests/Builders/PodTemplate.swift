import Schema

/// A pod as the platform runs it: one main container (plus init containers), the platform's security context unless
/// the workload is one of the documented exceptions, and the global pod settings of the config.
public struct PodTemplate: Sendable {
    public struct Container: Sendable {
        public var name: String
        public var image: String
        public var args: [String] = []
        public var env: [(String, String)] = []
        public var secretEnv: [(name: String, secret: String, key: String)] = []
        /// Variables from Secrets that may not exist yet (made after install, e.g. by a registration script).
        public var optionalSecretEnv: [(name: String, secret: String, key: String)] = []
        /// Variables from the downward API: (name, field path such as `metadata.name`).
        public var fieldEnv: [(name: String, fieldPath: String)] = []
        public var ports: [(name: String, port: Int)] = []
        public var requests: (cpu: String, memory: String)?
        public var limits: (cpu: String, memory: String)?
        public var probePort: String?
        /// Runs privileged (or as root): the documented exceptions to the platform's security context.
        public var privileged = false
        public var mounts: [(name: String, path: String, readOnly: Bool)] = []

        public init(name: String, image: String) {
            self.name = name
            self.image = image
        }
    }

    public var labels: [String: String]
    public var annotations: [String: String] = [:]
    public var serviceAccount: String
    public var containers: [Container]
    public var initContainers: [Container] = []
    public var nodeSelector: [String: String] = [:]
    public var tolerations: [JSONValue] = []
    public var volumes: [JSONValue] = []
    public var hostNetwork = false
    public var priorityClass: String?
    public var restartPolicy: String?

    public init(labels: [String: String], serviceAccount: String, containers: [Container]) {
        self.labels = labels
        self.serviceAccount = serviceAccount
        self.containers = containers
    }

    var anyPrivileged: Bool { (containers + initContainers).contains { $0.privileged } }

    public var json: JSONValue {
        var spec: [(String, JSONValue?)] = [
            ("serviceAccountName", .string(serviceAccount)),
            ("automountServiceAccountToken", .bool(true)),
            ("priorityClassName", priorityClass.map(JSONValue.string)),
            ("restartPolicy", restartPolicy.map(JSONValue.string)),
        ]
        if hostNetwork { spec.append(("hostNetwork", .bool(true))) }
        spec.append(("securityContext", anyPrivileged ? .object([("seccompProfile", .object([("type", .string("RuntimeDefault"))]))])
                        : .object([("runAsNonRoot", .bool(true)), ("seccompProfile", .object([("type", .string("RuntimeDefault"))]))])))
        if !nodeSelector.isEmpty { spec.append(("nodeSelector", .sortedObject(nodeSelector))) }
        if !tolerations.isEmpty { spec.append(("tolerations", .array(tolerations))) }
        if !initContainers.isEmpty { spec.append(("initContainers", .array(initContainers.map(Self.container)))) }
        spec.append(("containers", .array(containers.map(Self.container))))
        if !volumes.isEmpty { spec.append(("volumes", .array(volumes))) }
        var metadata: [(String, JSONValue)] = [("labels", .sortedObject(labels))]
        if !annotations.isEmpty { metadata.append(("annotations", .sortedObject(annotations))) }
        return .object([("metadata", .object(metadata)), ("spec", .fields(spec))])
    }

    static func container(_ c: Container) -> JSONValue {
        var fields: [(String, JSONValue?)] = [("name", .string(c.name)), ("image", .string(c.image)),
                                              ("imagePullPolicy", .string("IfNotPresent"))]
        if !c.args.isEmpty { fields.append(("args", .array(c.args.map(JSONValue.string)))) }
        var env: [JSONValue] = c.env.map { .object([("name", .string($0.0)), ("value", .string($0.1))]) }
        env += c.fieldEnv.map { e in
            .object([("name", .string(e.name)), ("valueFrom", .object([("fieldRef", .object([("fieldPath", .string(e.fieldPath))]))]))])
        }
        env += c.optionalSecretEnv.map { e in
            .object([("name", .string(e.name)), ("valueFrom", .object([("secretKeyRef", .object([
                ("name", .string(e.secret)), ("key", .string(e.key)), ("optional", .bool(true)),
            ]))]))])
        }
        env += c.secretEnv.map { e in
            .object([("name", .string(e.name)), ("valueFrom", .object([("secretKeyRef", .object([
                ("name", .string(e.secret)), ("key", .string(e.key)),
            ]))]))])
        }
        if !env.isEmpty { fields.append(("env", .array(env))) }
        if !c.ports.isEmpty {
            fields.append(("ports", .array(c.ports.map {
                .object([("name", .string($0.name)), ("containerPort", .number(Double($0.port))), ("protocol", .string("TCP"))])
            })))
        }
        var resources: [(String, JSONValue)] = []
        if let r = c.requests { resources.append(("requests", .object([("cpu", .string(r.cpu)), ("memory", .string(r.memory))]))) }
        if let l = c.limits { resources.append(("limits", .object([("cpu", .string(l.cpu)), ("memory", .string(l.memory))]))) }
        if !resources.isEmpty { fields.append(("resources", .object(resources))) }
        if let port = c.probePort {
            let probe: (Int, Int) -> JSONValue = { delay, period in
                .object([("tcpSocket", .object([("port", .string(port))])), ("initialDelaySeconds", .number(Double(delay))),
                         ("periodSeconds", .number(Double(period))), ("timeoutSeconds", .number(5)), ("failureThreshold", .number(6))])
            }
            fields.append(("readinessProbe", probe(10, 10)))
            fields.append(("livenessProbe", probe(60, 20)))
        }
        if !c.mounts.isEmpty {
            fields.append(("volumeMounts", .array(c.mounts.map {
                .object([("name", .string($0.name)), ("mountPath", .string($0.path)), ("readOnly", .bool($0.readOnly))])
            })))
        }
        fields.append(("securityContext", c.privileged
            ? .object([("privileged", .bool(true)), ("runAsUser", .number(0)), ("runAsNonRoot", .bool(false))])
            : .object([("allowPrivilegeEscalation", .bool(false)), ("capabilities", .object([("drop", .array([.string("ALL")]))])),
                       ("runAsNonRoot", .bool(true))])))
        return .fields(fields)
    }
}
