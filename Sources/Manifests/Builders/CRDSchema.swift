import Schema

/// Small builders for the structural OpenAPI schemas of kiln's own CRDs (`Platform`, `PlatformRelease`), so each
/// definition reads as its fields.
enum CRDSchema {
    static func string(_ description: String? = nil, enum values: [String]? = nil, default value: String? = nil,
                       pattern: String? = nil, format: String? = nil) -> JSONValue {
        var members: [(String, JSONValue)] = [("type", .string("string"))]
        if let values { members.append(("enum", .array(values.map(JSONValue.string)))) }
        if let value { members.append(("default", .string(value))) }
        if let pattern { members.append(("pattern", .string(pattern))) }
        if let format { members.append(("format", .string(format))) }
        if let description { members.append(("description", .string(description))) }
        return .object(members)
    }

    static func boolean(_ description: String? = nil, default value: Bool? = nil) -> JSONValue {
        var members: [(String, JSONValue)] = [("type", .string("boolean"))]
        if let value { members.append(("default", .bool(value))) }
        if let description { members.append(("description", .string(description))) }
        return .object(members)
    }

    static let integer: JSONValue = .object([("type", .string("integer")), ("format", .string("int64"))])

    static func array(_ items: JSONValue, description: String? = nil) -> JSONValue {
        .object([("type", .string("array")), ("items", items)] + (description.map { [("description", .string($0))] } ?? []))
    }

    static func object(_ properties: [(String, JSONValue)], required: [String] = [], description: String? = nil) -> JSONValue {
        var members: [(String, JSONValue)] = [("type", .string("object"))]
        if !required.isEmpty { members.append(("required", .array(required.map(JSONValue.string)))) }
        if let description { members.append(("description", .string(description))) }
        members.append(("properties", .object(properties)))
        return .object(members)
    }

    /// A map of string keys to `value`.
    static func map(_ value: JSONValue, description: String? = nil) -> JSONValue {
        .object([("type", .string("object")), ("additionalProperties", value)] + (description.map { [("description", .string($0))] } ?? []))
    }

    /// A `metav1.Condition`.
    static let condition = object([
        ("type", string()), ("status", string(enum: ["True", "False", "Unknown"])), ("reason", string()), ("message", string()),
        ("lastTransitionTime", string(format: "date-time")), ("observedGeneration", integer),
    ], required: ["type", "status"])

    /// The drift switches: `warn` reports, `correct` re-applies; fields to leave alone.
    static let driftMode = string("warn: a Warning event per drifted object; correct: re-apply it.", enum: ["warn", "correct"])
    static let driftIgnore = array(string(), description: "Fields drift detection leaves alone: KIND:dotted.path, or a path for every kind.")

    static func column(_ name: String, _ type: String, _ path: String, priority: Int? = nil) -> JSONValue {
        .object([("name", .string(name)), ("type", .string(type)), ("jsonPath", .string(path))]
                + (priority.map { [("priority", .number(Double($0)))] } ?? []))
    }

    /// A namespaced CRD of kiln.dev with one version, the status subresource and these columns.
    static func definition(kind: String, plural: String, singular: String, shortNames: [String], columns: [JSONValue],
                           spec: JSONValue, status: JSONValue, labels: [String: String]) -> ManifestObject {
        ManifestObject(apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition",
                       name: "\(plural).\(PlatformResource.group)", labels: labels, body: [
            ("spec", .object([
                ("group", .string(PlatformResource.group)),
                ("names", .object([("kind", .string(kind)), ("listKind", .string(kind + "List")), ("plural", .string(plural)),
                                   ("singular", .string(singular)), ("shortNames", .array(shortNames.map(JSONValue.string)))])),
                ("scope", .string("Namespaced")),
                ("versions", .array([.object([
                    ("name", .string(PlatformResource.version)), ("served", .bool(true)), ("storage", .bool(true)),
                    ("subresources", .object([("status", .object([]))])),
                    ("additionalPrinterColumns", .array(columns)),
                    ("schema", .object([("openAPIV3Schema", object([("spec", spec), ("status", status)]))])),
                ])])),
            ])),
        ], release: "kiln-base")
    }
}
