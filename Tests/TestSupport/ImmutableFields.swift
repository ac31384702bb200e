import Schema

/// One field a validation refused, as `field.Error` reports it.
struct FieldError {
    enum Kind {
        case forbidden
        case invalid
    }

    var field: String
    var kind: Kind
    var detail: String
    var value: JSONValue?

    /// `Forbidden: updates to parameters are forbidden.`, `Invalid value: {...}: field is immutable`.
    var message: String {
        switch kind {
        case .forbidden: return "Forbidden: " + detail
        case .invalid: return "Invalid value: " + (value?.jsonText ?? "null") + ": " + detail
        }
    }

    var cause: JSONValue {
        .object([("reason", .string(kind == .forbidden ? "FieldValueForbidden" : "FieldValueInvalid")),
                 ("message", .string(message)), ("field", .string(field))])
    }
}

/// Fields the API server refuses to change once an object exists, with its messages (the `Validate…Update`
/// functions of `pkg/apis/*/validation` in kubernetes/kubernetes).
enum ImmutableFields {
    enum Rule {
        /// The field may not change.
        case fixed([String], FieldError.Kind, String)
        /// The field may not change once it has a value (Service `clusterIP`, allocated at creation).
        case fixedOnceSet([String])
        /// Nothing under the field may change but the listed subpaths.
        case fixedExcept([String], allowed: [[String]], String)
        /// The field may not change while the object says `immutable: true` (ConfigMaps and Secrets).
        case fixedWhenImmutable([String])
    }

    static let immutable = "field is immutable"

    static let rules: [String: [Rule]] = [
        "StorageClass": [.fixed(["parameters"], .forbidden, "updates to parameters are forbidden."),
                         .fixed(["provisioner"], .forbidden, "updates to provisioner are forbidden."),
                         .fixed(["reclaimPolicy"], .forbidden, "updates to reclaimPolicy are forbidden."),
                         .fixed(["volumeBindingMode"], .invalid, immutable)],
        "StatefulSet": [.fixedExcept(["spec"], allowed: [["replicas"], ["ordinals"], ["template"], ["updateStrategy"],
                                                         ["persistentVolumeClaimRetentionPolicy"], ["minReadySeconds"]],
                                     "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', "
                                         + "'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden")],
        "Job": [.fixed(["spec", "selector"], .invalid, immutable), .fixed(["spec", "template"], .invalid, immutable)],
        "Deployment": [.fixed(["spec", "selector"], .invalid, immutable)],
        "Service": [.fixedOnceSet(["spec", "clusterIP"])],
        "PersistentVolumeClaim": [.fixedExcept(["spec"], allowed: [["resources", "requests"], ["volumeAttributesClassName"]],
                                               "spec is immutable after creation except resources.requests and "
                                                   + "volumeAttributesClassName for bound claims")],
        "ConfigMap": [.fixedWhenImmutable(["data"]), .fixedWhenImmutable(["binaryData"]), .fixedWhenImmutable(["immutable"])],
        "Secret": [.fixedWhenImmutable(["data"]), .fixedWhenImmutable(["immutable"])],
    ]

    /// What an update from `old` to `new` may not do.
    static func violations(kind: String, old: JSONValue, new: JSONValue) -> [FieldError] {
        (rules[kind] ?? []).compactMap { rule in
            switch rule {
            case let .fixed(path, kind, detail):
                return JSONEditing.value(old, path) == JSONEditing.value(new, path) ? nil
                    : FieldError(field: path.joined(separator: "."), kind: kind, detail: detail, value: JSONEditing.value(new, path))
            case let .fixedOnceSet(path):
                guard let before = JSONEditing.value(old, path), before != .string(""), let after = JSONEditing.value(new, path),
                      after != before else { return nil }
                return FieldError(field: path.joined(separator: "."), kind: .invalid, detail: immutable, value: after)
            case let .fixedExcept(path, allowed, detail):
                func rest(_ object: JSONValue) -> JSONValue? {
                    allowed.reduce(JSONEditing.value(object, path)) { value, sub in value.map { JSONEditing.removing($0, sub[...]) } }
                }
                return rest(old) == rest(new) ? nil : FieldError(field: path.joined(separator: "."), kind: .forbidden, detail: detail)
            case let .fixedWhenImmutable(path):
                guard old["immutable"]?.boolValue == true, JSONEditing.value(old, path) != JSONEditing.value(new, path) else { return nil }
                return FieldError(field: path.joined(separator: "."), kind: .forbidden, detail: "field is immutable when `immutable` is set")
            }
        }
    }
}
