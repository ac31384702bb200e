import Schema

/// The patch formats the API server accepts, by content type.
public enum PatchType: Sendable {
    /// RFC 6902 JSON Patch: a list of operations.
    case json
    /// RFC 7386 JSON Merge Patch.
    case merge
    /// Kubernetes' strategic merge patch (lists merged by their merge keys; built-in kinds only).
    case strategicMerge

    var contentType: String {
        switch self {
        case .json: return "application/json-patch+json"
        case .merge: return "application/merge-patch+json"
        case .strategicMerge: return "application/strategic-merge-patch+json"
        }
    }
}

/// Writes other than server-side apply: create, patch, replace, and the status subresource.
extension KubeClient {
    /// Creates `object` (POST to its collection); a 409 AlreadyExists is a KubeError.
    public func create(_ object: JSONValue, dryRun: Bool = false) async throws -> JSONValue {
        let ref = Self.reference(object)
        let path = try await collectionPath(apiVersion: ref.apiVersion, kind: ref.kind, namespace: ref.namespace ?? target.namespace)
        return try await write("POST", path + Self.query(fieldManager: Self.fieldManager, dryRun: dryRun), ref, Array(object.jsonText.utf8),
                               "application/json")
    }

    /// Patches the object `ref` with `body` in format `type`.
    public func patch(_ ref: ObjectReference, type: PatchType, body: [UInt8], fieldManager: String? = KubeClient.fieldManager,
                      dryRun: Bool = false) async throws -> JSONValue {
        let path = try await path(ref) + Self.query(fieldManager: fieldManager, dryRun: dryRun)
        return try await write("PATCH", path, ref, body, type.contentType)
    }

    /// Replaces the object (PUT): `metadata.resourceVersion`, when set, makes it conditional (409 Conflict if stale).
    public func replace(_ object: JSONValue, dryRun: Bool = false) async throws -> JSONValue {
        let ref = Self.reference(object)
        let path = try await path(ref) + Self.query(fieldManager: Self.fieldManager, dryRun: dryRun)
        return try await write("PUT", path, ref, Array(object.jsonText.utf8), "application/json")
    }

    /// Replaces the object's status (PUT to its `status` subresource).
    public func updateStatus(_ object: JSONValue, dryRun: Bool = false) async throws -> JSONValue {
        let ref = Self.reference(object)
        let path = try await path(ref) + "/status" + Self.query(fieldManager: Self.fieldManager, dryRun: dryRun)
        return try await write("PUT", path, ref, Array(object.jsonText.utf8), "application/json")
    }

    private func write(_ method: String, _ path: String, _ ref: ObjectReference, _ body: [UInt8], _ contentType: String) async throws
        -> JSONValue {
        let response = try await request(method, path, object: ref, body: body, contentType: contentType)
        try check(response, ref)
        return try JSONReader.parse(response.text)
    }

    static func query(fieldManager: String?, dryRun: Bool) -> String {
        var parameters: [String] = []
        if let fieldManager { parameters.append("fieldManager=\(escape(fieldManager))") }
        if dryRun { parameters.append("dryRun=All") }
        return parameters.isEmpty ? "" : "?" + parameters.joined(separator: "&")
    }
}
