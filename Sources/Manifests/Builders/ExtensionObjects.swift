import Schema

/// CustomResourceDefinitions and admission webhook configurations of the operators kiln installs (cert-manager,
/// Istio).
public enum ExtensionObjects {
    /// A CRD whose versions keep what is written under `spec` and `status`: the operator that owns the kind validates
    /// its own resources (its admission webhook), so kiln does not copy the upstream schemas.
    public static func crd(group: String, kind: String, plural: String, namespaced: Bool = true, versions: [String],
                           labels: [String: String], annotations: [String: String] = [:], release: String) -> ManifestObject {
        let open: JSONValue = .object([("type", .string("object")), ("x-kubernetes-preserve-unknown-fields", .bool(true))])
        let schema: JSONValue = .object([("openAPIV3Schema", .object([
            ("type", .string("object")),
            ("properties", .object([("spec", open), ("status", open)])),
        ]))])
        let entries: [JSONValue] = versions.enumerated().map { i, version in
            .object([("name", .string(version)), ("served", .bool(true)), ("storage", .bool(i == versions.count - 1)),
                     ("schema", schema), ("subresources", .object([("status", .object([]))]))])
        }
        return ManifestObject(apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition", name: "\(plural).\(group)",
                              labels: labels, annotations: annotations, body: [
            ("spec", .object([
                ("group", .string(group)),
                ("names", .object([("kind", .string(kind)), ("listKind", .string(kind + "List")), ("plural", .string(plural)),
                                   ("singular", .string(kind.lowercased()))])),
                ("scope", .string(namespaced ? "Namespaced" : "Cluster")),
                ("versions", .array(entries)),
            ])),
        ], release: release)
    }

    public struct WebhookRule: Sendable {
        let groups: [String]
        let versions: [String]
        let resources: [String]
        let operations: [String]

        public init(groups: [String], versions: [String] = ["*"], resources: [String] = ["*"], operations: [String] = ["CREATE", "UPDATE"]) {
            self.groups = groups
            self.versions = versions
            self.resources = resources
            self.operations = operations
        }

        var json: JSONValue {
            .object([("apiGroups", .array(groups.map(JSONValue.string))), ("apiVersions", .array(versions.map(JSONValue.string))),
                     ("operations", .array(operations.map(JSONValue.string))), ("resources", .array(resources.map(JSONValue.string)))])
        }
    }

    /// A Mutating- or ValidatingWebhookConfiguration with one webhook served by a Service of the platform. The CA bundle
    /// is left to whoever issues the serving certificate (cert-manager's CA injector, istiod).
    public static func webhook(mutating: Bool, name: String, webhook: String, service: (namespace: String, name: String, port: Int),
                               path: String, rules: [WebhookRule], namespaceSelector: JSONValue? = nil, objectSelector: JSONValue? = nil,
                               failurePolicy: String = "Fail", labels: [String: String], annotations: [String: String] = [:],
                               release: String) -> ManifestObject {
        let hook: JSONValue = .fields([
            ("name", .string(webhook)),
            ("clientConfig", .object([("service", .object([
                ("namespace", .string(service.namespace)), ("name", .string(service.name)), ("path", .string(path)),
                ("port", .number(Double(service.port))),
            ]))])),
            ("rules", .array(rules.map(\.json))),
            ("namespaceSelector", namespaceSelector),
            ("objectSelector", objectSelector),
            ("failurePolicy", .string(failurePolicy)),
            ("sideEffects", .string("None")),
            ("admissionReviewVersions", .array([.string("v1")])),
            ("timeoutSeconds", .number(10)),
        ])
        return ManifestObject(apiVersion: "admissionregistration.k8s.io/v1",
                              kind: mutating ? "MutatingWebhookConfiguration" : "ValidatingWebhookConfiguration", name: name,
                              labels: labels, annotations: annotations, body: [("webhooks", .array([hook]))], release: release)
    }
}
