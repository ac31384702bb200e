import Schema

/// kiln's `Platform` custom resource: the install config of one platform, with the switches the operator mode reads
/// (dry run, suspend, drift handling) and the status it reports. The equivalent of the reference's `Domino` resource.
public enum PlatformResource {
    public static let group = "kiln.dev"
    public static let version = "v1alpha1"
    public static let apiVersion = "\(group)/\(version)"
    public static let kind = "Platform"
    public static let plural = "platforms"
    /// The namespace the resource lives in, as the reference's operator namespace.
    public static let namespace = "domino-operator"

    /// The CRD, with a structural schema (the config itself is preserved as written: kiln validates it).
    public static func definition(labels: [String: String]) -> ManifestObject {
        let condition: JSONValue = .object([("type", .string("object")), ("required", .array(["type", "status"].map(JSONValue.string))),
            ("properties", .object([
                ("type", .object([("type", .string("string"))])),
                ("status", .object([("type", .string("string")), ("enum", .array(["True", "False", "Unknown"].map(JSONValue.string)))])),
                ("reason", .object([("type", .string("string"))])),
                ("message", .object([("type", .string("string"))])),
                ("lastTransitionTime", .object([("type", .string("string")), ("format", .string("date-time"))])),
                ("observedGeneration", .object([("type", .string("integer")), ("format", .string("int64"))])),
            ]))])
        let releaseState: JSONValue = .object([("type", .string("object")), ("required", .array([.string("name")])),
            ("properties", .object([
                ("name", .object([("type", .string("string"))])),
                ("ready", .object([("type", .string("boolean"))])),
                ("reason", .object([("type", .string("string"))])),
                ("message", .object([("type", .string("string"))])),
                ("drifted", .object([("type", .string("boolean"))])),
            ]))])
        let spec: JSONValue = .object([("type", .string("object")), ("required", .array(["config", "version"].map(JSONValue.string))),
            ("properties", .object([
                ("config", .object([("type", .string("object")), ("x-kubernetes-preserve-unknown-fields", .bool(true)),
                                    ("description", .string("The install configuration (schema 1.14).")) ])),
                ("version", .object([("type", .string("string")), ("enum", .array(["6.1.0", "6.1.1", "6.1.2"].map(JSONValue.string)))])),
                ("dryRun", .object([("type", .string("boolean")), ("default", .bool(false)),
                                    ("description", .string("Report what would change without changing it."))])),
                ("suspend", .object([("type", .string("boolean")), ("default", .bool(false)),
                                     ("description", .string("Stop reconciling until set back to false."))])),
                ("drift", .object([("type", .string("object")), ("properties", .object([
                    ("mode", .object([("type", .string("string")), ("enum", .array(["warn", "correct"].map(JSONValue.string))),
                                      ("default", .string("warn"))])),
                    ("interval", .object([("type", .string("string")), ("pattern", .string("^([0-9]+(s|m|h))+$")),
                                          ("default", .string("5m"))])),
                ]))])),
            ]))])
        let status: JSONValue = .object([("type", .string("object")), ("properties", .object([
            ("observedGeneration", .object([("type", .string("integer")), ("format", .string("int64"))])),
            ("conditions", .object([("type", .string("array")), ("items", condition)])),
            ("releases", .object([("type", .string("array")), ("items", releaseState)])),
        ]))])
        let column: (String, String, String) -> JSONValue = { name, type, path in
            .object([("name", .string(name)), ("type", .string(type)), ("jsonPath", .string(path))])
        }
        return ManifestObject(apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition",
                              name: "\(plural).\(group)", labels: labels, body: [
            ("spec", .object([
                ("group", .string(group)),
                ("names", .object([("kind", .string(kind)), ("listKind", .string("PlatformList")), ("plural", .string(plural)),
                                   ("singular", .string("platform"))])),
                ("scope", .string("Namespaced")),
                ("versions", .array([.object([
                    ("name", .string(version)), ("served", .bool(true)), ("storage", .bool(true)),
                    ("subresources", .object([("status", .object([]))])),
                    ("additionalPrinterColumns", .array([
                        column("Version", "string", ".spec.version"),
                        column("Ready", "string", ".status.conditions[?(@.type==\"Ready\")].status"),
                        column("Dry Run", "boolean", ".spec.dryRun"),
                        column("Suspended", "boolean", ".spec.suspend"),
                    ])),
                    ("schema", .object([("openAPIV3Schema", .object([("type", .string("object")), ("properties", .object([
                        ("spec", spec), ("status", status),
                    ]))]))])),
                ])])),
            ])),
        ], release: "kiln-base")
    }

    /// The resource for a config (`kiln render --export-cr`).
    public static func resource(name: String, version: String, config: JSONValue, labels: [String: String]) -> ManifestObject {
        ManifestObject(apiVersion: apiVersion, kind: kind, name: name, namespace: namespace, labels: labels, body: [
            ("spec", .object([("version", .string(version)), ("dryRun", .bool(false)), ("suspend", .bool(false)),
                              ("drift", .object([("mode", .string("warn")), ("interval", .string("5m"))])), ("config", config)])),
        ], release: "kiln-base")
    }
}
