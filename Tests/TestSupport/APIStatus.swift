import Kube
import Schema

/// `Status` objects as the API server answers failures, in its words.
enum APIStatus {
    static func failure(_ code: Int, _ reason: String, _ message: String, details: [(String, JSONValue)] = []) -> JSONValue {
        var fields: [(String, JSONValue)] = [("kind", .string("Status")), ("apiVersion", .string("v1")), ("metadata", .object([])),
                                             ("status", .string("Failure")), ("message", .string(message)), ("reason", .string(reason))]
        if !details.isEmpty { fields.append(("details", .object(details))) }
        fields.append(("code", .number(Double(code))))
        return .object(fields)
    }

    static func success(_ resource: ServedResource, name: String) -> JSONValue {
        .object([("kind", .string("Status")), ("apiVersion", .string("v1")), ("metadata", .object([])), ("status", .string("Success")),
                 ("details", .object([("name", .string(name)), ("group", .string(resource.group)), ("kind", .string(resource.plural))]))])
    }

    /// `deployments.apps "web" not found`
    static func notFound(_ resource: ServedResource, _ name: String) -> (Int, JSONValue) {
        notFound(resource.qualifiedName, name, group: resource.group)
    }

    static func notFound(_ qualifiedName: String, _ name: String, group: String = "") -> (Int, JSONValue) {
        let kind = String(qualifiedName.prefix { $0 != "." })
        return (404, failure(404, "NotFound", "\(qualifiedName) \"\(name)\" not found",
                             details: [("name", .string(name)), ("group", .string(group)), ("kind", .string(kind))]))
    }

    static let noSuchResource = (404, failure(404, "NotFound", "the server could not find the requested resource"))

    static func badRequest(_ message: String) -> (Int, JSONValue) { (400, failure(400, "BadRequest", message)) }

    static func alreadyExists(_ resource: ServedResource, _ name: String) -> (Int, JSONValue) {
        (409, failure(409, "AlreadyExists", "\(resource.qualifiedName) \"\(name)\" already exists",
                      details: [("name", .string(name)), ("group", .string(resource.group)), ("kind", .string(resource.plural))]))
    }

    /// A stale `resourceVersion` precondition (optimistic concurrency).
    static func modified(_ resource: ServedResource, _ name: String) -> (Int, JSONValue) {
        (409, failure(409, "Conflict", "Operation cannot be fulfilled on \(resource.qualifiedName) \"\(name)\": the object has been "
                      + "modified; please apply your changes to the latest version and try again",
                      details: [("name", .string(name)), ("group", .string(resource.group)), ("kind", .string(resource.plural))]))
    }

    /// `Apply failed with 1 conflict: conflict with "kubectl-edit" using apps/v1: .spec.replicas`; each cause names
    /// the owner in its message and the path in its field, as `apierrors.NewApplyConflict` writes them.
    static func applyConflict(_ conflicts: [ServerSideApply.Conflict]) -> (Int, JSONValue) {
        let count = conflicts.count == 1 ? "1 conflict" : "\(conflicts.count) conflicts"
        let message = "Apply failed with \(count): " + conflicts.map(\.message).joined(separator: "; ")
        let causes = conflicts.map { conflict -> JSONValue in
            .object([("reason", .string("FieldManagerConflict")), ("message", .string(conflict.owner)),
                     ("field", .string(conflict.path.pathDescription))])
        }
        return (409, failure(409, "Conflict", message, details: [("causes", .array(causes))]))
    }

    /// `StorageClass.storage.k8s.io "fast" is invalid: parameters: Forbidden: updates to parameters are forbidden.`
    static func invalid(_ resource: ServedResource, _ name: String, _ errors: [FieldError]) -> (Int, JSONValue) {
        let listed = errors.map { "\($0.field): \($0.message)" }
        let message = "\(resource.qualifiedKind) \"\(name)\" is invalid: "
            + (listed.count == 1 ? listed[0] : "[" + listed.joined(separator: ", ") + "]")
        return (422, failure(422, "Invalid", message, details: [("name", .string(name)), ("group", .string(resource.group)),
                                                                ("kind", .string(resource.kind)), ("causes", .array(errors.map(\.cause)))]))
    }

    /// What a watch sends when asked for events the server no longer has.
    static func expired(_ requested: Int, _ oldest: Int) -> JSONValue {
        failure(410, "Expired", "too old resource version: \(requested) (\(oldest))")
    }
}
