import Platform
import Schema

/// RBAC, disruption budgets, autoscalers, priority, storage classes, ingress and network policy.
public enum PolicyObjects {
    public static func role(_ name: String, namespace: String?, labels: [String: String], rules: [APIRule], release: String) -> ManifestObject {
        ManifestObject(apiVersion: "rbac.authorization.k8s.io/v1", kind: namespace == nil ? "ClusterRole" : "Role", name: name,
                       namespace: namespace, labels: labels, body: [("rules", .array(rules.map(\.json)))], release: release)
    }

    public static func binding(_ name: String, namespace: String?, labels: [String: String], role: String,
                               serviceAccount: String, serviceAccountNamespace: String, release: String) -> ManifestObject {
        let cluster = namespace == nil
        return ManifestObject(apiVersion: "rbac.authorization.k8s.io/v1", kind: cluster ? "ClusterRoleBinding" : "RoleBinding",
                              name: name, namespace: namespace, labels: labels, body: [
            ("roleRef", .object([("apiGroup", .string("rbac.authorization.k8s.io")), ("kind", .string(cluster ? "ClusterRole" : "Role")),
                                 ("name", .string(role))])),
            ("subjects", .array([.object([("kind", .string("ServiceAccount")), ("name", .string(serviceAccount)),
                                          ("namespace", .string(serviceAccountNamespace))])])),
        ], release: release)
    }

    /// At most one selected pod evicted at a time; with `keepEach`, none (`minAvailable: 1`, for a budget over one pod).
    public static func podDisruptionBudget(_ name: String, namespace: String, labels: [String: String],
                                           selector: [String: String], keepEach: Bool = false, release: String) -> ManifestObject {
        ManifestObject(apiVersion: "policy/v1", kind: "PodDisruptionBudget", name: name, namespace: namespace, labels: labels, body: [
            ("spec", .object([(keepEach ? "minAvailable" : "maxUnavailable", .number(1)),
                              ("selector", .object([("matchLabels", .sortedObject(selector))]))])),
        ], release: release)
    }

    public static func horizontalPodAutoscaler(_ name: String, namespace: String, labels: [String: String], target: String,
                                               min: Int, max: Int, cpuPercent: Int, release: String) -> ManifestObject {
        ManifestObject(apiVersion: "autoscaling/v2", kind: "HorizontalPodAutoscaler", name: name, namespace: namespace,
                       labels: labels, body: [
            ("spec", .object([
                ("scaleTargetRef", .object([("apiVersion", .string("apps/v1")), ("kind", .string("Deployment")), ("name", .string(target))])),
                ("minReplicas", .number(Double(min))),
                ("maxReplicas", .number(Double(max))),
                ("metrics", .array([.object([("type", .string("Resource")), ("resource", .object([
                    ("name", .string("cpu")),
                    ("target", .object([("type", .string("Utilization")), ("averageUtilization", .number(Double(cpuPercent)))])),
                ]))])])),
            ])),
        ], release: release)
    }

    public static func priorityClass(_ name: String, value: Int, description: String, labels: [String: String],
                                     release: String) -> ManifestObject {
        ManifestObject(apiVersion: "scheduling.k8s.io/v1", kind: "PriorityClass", name: name, labels: labels, body: [
            ("value", .number(Double(value))), ("globalDefault", .bool(false)), ("preemptionPolicy", .string("PreemptLowerPriority")),
            ("description", .string(description)),
        ], release: release)
    }

    public static func storageClass(_ name: String, provisioner: String, parameters: [String: String], reclaimPolicy: String,
                                    bindingMode: String, expansion: Bool, mountOptions: [String], isDefault: Bool,
                                    labels: [String: String], release: String) -> ManifestObject {
        var body: [(String, JSONValue)] = [("provisioner", .string(provisioner))]
        if !parameters.isEmpty { body.append(("parameters", .sortedObject(parameters))) }
        body += [("reclaimPolicy", .string(reclaimPolicy)), ("volumeBindingMode", .string(bindingMode)),
                 ("allowVolumeExpansion", .bool(expansion))]
        if !mountOptions.isEmpty { body.append(("mountOptions", .array(mountOptions.map(JSONValue.string)))) }
        return ManifestObject(apiVersion: "storage.k8s.io/v1", kind: "StorageClass", name: name, labels: labels,
                              annotations: isDefault ? ["storageclass.kubernetes.io/is-default-class": "true"] : [:],
                              body: body, release: release)
    }

    public static func ingressClass(_ name: String, controller: String, labels: [String: String], release: String) -> ManifestObject {
        ManifestObject(apiVersion: "networking.k8s.io/v1", kind: "IngressClass", name: name, labels: labels,
                       body: [("spec", .object([("controller", .string(controller))]))], release: release)
    }

    public struct IngressPath: Sendable {
        public let path: String
        public let service: String
        public let port: String

        public init(_ path: String, service: String, port: String) {
            self.path = path
            self.service = service
            self.port = port
        }
    }

    public static func ingress(_ name: String, namespace: String, labels: [String: String], annotations: [String: String],
                               className: String, host: String, paths: [IngressPath], tlsSecret: String?, release: String) -> ManifestObject {
        var spec: [(String, JSONValue)] = [("ingressClassName", .string(className))]
        if let tlsSecret {
            spec.append(("tls", .array([.object([("hosts", .array([.string(host)])), ("secretName", .string(tlsSecret))])])))
        }
        spec.append(("rules", .array([.object([("host", .string(host)), ("http", .object([("paths", .array(paths.map { p in
            .object([("path", .string(p.path)), ("pathType", .string("Prefix")), ("backend", .object([
                ("service", .object([("name", .string(p.service)), ("port", .object([("name", .string(p.port))]))])),
            ]))])
        }))]))])])))
        return ManifestObject(apiVersion: "networking.k8s.io/v1", kind: "Ingress", name: name, namespace: namespace, labels: labels,
                              annotations: annotations, body: [("spec", .object(spec))], release: release)
    }

    public static func networkPolicy(_ name: String, namespace: String, labels: [String: String], podSelector: [String: String],
                                     ingress: [JSONValue]?, egress: [JSONValue]?, release: String) -> ManifestObject {
        var types: [JSONValue] = []
        var spec: [(String, JSONValue)] = [("podSelector", podSelector.isEmpty ? .object([]) : .object([("matchLabels", .sortedObject(podSelector))]))]
        // An empty rule list is left out, not written `[]`: the API server drops empty lists on decode, so `egress: []`
        // would read as a change on every apply (the policy type alone already denies what no rule allows).
        if let ingress { types.append(.string("Ingress")); if !ingress.isEmpty { spec.append(("ingress", .array(ingress))) } }
        if let egress { types.append(.string("Egress")); if !egress.isEmpty { spec.append(("egress", .array(egress))) } }
        spec.insert(("policyTypes", .array(types)), at: 1)
        return ManifestObject(apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", name: name, namespace: namespace,
                              labels: labels, body: [("spec", .object(spec))], release: release)
    }
}

extension APIRule {
    /// As an RBAC rule.
    var json: JSONValue {
        .object([("apiGroups", .array(groups.map(JSONValue.string))), ("resources", .array(resources.map(JSONValue.string))),
                 ("verbs", .array(verbs.map(JSONValue.string)))])
    }
}
