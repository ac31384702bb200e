import Foundation
import Schema

/// An object's identity as the API knows it.
public struct ObjectReference: Sendable, Hashable, CustomStringConvertible {
    public var apiVersion: String
    public var kind: String
    public var namespace: String?
    public var name: String

    public init(apiVersion: String, kind: String, namespace: String?, name: String) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.namespace = namespace
        self.name = name
    }

    public var description: String { "\(kind) \(namespace.map { "\($0)/" } ?? "")\(name)" }
}

/// An error the API server returned, with what it said and what to do.
public struct KubeError: Error, Sendable, CustomStringConvertible {
    public let status: Int
    public let reason: String
    public let message: String
    public let object: String?
    /// For field-manager conflicts: the other managers that own the fields.
    public let conflictManagers: [String]
    /// The Status's `details.causes`: which field (`spec.selector`, for an immutable field) and why.
    public let causes: [Cause]

    public struct Cause: Sendable, Equatable {
        public let field: String
        public let message: String
        public let reason: String

        public init(field: String, message: String, reason: String = "") {
            self.field = field
            self.message = message
            self.reason = reason
        }
    }

    public init(status: Int, reason: String, message: String, object: String?, conflictManagers: [String], causes: [Cause] = []) {
        self.status = status
        self.reason = reason
        self.message = message
        self.object = object
        self.conflictManagers = conflictManagers
        self.causes = causes
    }

    public var description: String {
        var text = "\(object.map { "\($0): " } ?? "")\(message) (HTTP \(status)\(reason.isEmpty ? "" : ", \(reason)"))"
        if let hint { text += "\n  hint: \(hint)" }
        return text
    }

    public var hint: String? {
        switch status {
        case 401: return "the credentials were refused: check the kubeconfig user (token, certificate, or exec plugin)"
        case 403: return "the user may not do this: it needs RBAC rights for this kind in this namespace"
        case 404 where reason == "NotFound" && object == nil: return "the API server does not serve this kind (is its CRD installed?)"
        case 409 where !conflictManagers.isEmpty:
            return "fields are owned by \(conflictManagers.joined(separator: ", ")); --force-conflicts makes kiln take them"
        case 422: return "the server refused the object as invalid"
        default: return nil
        }
    }

    /// The refusal came from the server being unavailable or throttling after every retry.
    public var isUnavailable: Bool { status == 429 || status >= 500 }
}

/// The Kubernetes API over HTTP: discovery (cached for the client's life), get, list, delete, and server-side apply.
public final class KubeClient: @unchecked Sendable {
    public let target: ClusterTarget
    public let http: HTTPClient
    public static let fieldManager = "kiln"
    let discovery: Discovery

    public typealias APIResource = Discovery.APIResource

    public init(_ target: ClusterTarget) {
        self.target = target
        http = HTTPClient(target.http)
        discovery = Discovery()
    }

    // MARK: Discovery

    /// The resource serving `kind` in `apiVersion` (`apps/v1` → `deployments`, namespaced), from the server's discovery
    /// document for that group version, fetched once per client (concurrent first lookups share one request).
    public func resource(apiVersion: String, kind: String) async throws -> APIResource {
        let resources = try await discovery.resources(apiVersion) { try await self.fetchResources(apiVersion) }
        guard let resource = resources[kind] else {
            throw KubeError(status: 404, reason: "NotFound", message: "the server does not serve kind \(kind) in \(apiVersion)",
                            object: nil, conflictManagers: [])
        }
        return resource
    }

    /// The version the server prefers for `group` (`""` is the core group, `v1`), from `/api` and `/apis`, fetched once
    /// per client; nil when the server does not serve the group.
    public func preferredVersion(group: String) async throws -> String? {
        let preferred = try await discovery.preferredVersions { try await self.fetchPreferredVersions() }
        return preferred[group]
    }

    private func fetchResources(_ apiVersion: String) async throws -> [String: APIResource] {
        let response = try await request("GET", Self.basePath(apiVersion), object: nil)
        try checkDiscovery(response, apiVersion)
        var found: [String: APIResource] = [:]
        for item in try JSONReader.parse(response.text)["resources"]?.arrayValue ?? [] {
            guard let name = item["name"]?.stringValue, !name.contains("/"), let k = item["kind"]?.stringValue else { continue }
            found[k] = APIResource(name: name, namespaced: item["namespaced"]?.boolValue ?? false)
        }
        return found
    }

    private func fetchPreferredVersions() async throws -> [String: String] {
        let core = try await request("GET", "/api", object: nil)
        try checkDiscovery(core, "/api")
        let versions = try JSONReader.parse(core.text)["versions"]?.arrayValue?.compactMap(\.stringValue) ?? []
        var preferred: [String: String] = [:]
        if let version = versions.contains("v1") ? "v1" : versions.first { preferred[""] = version }
        let groups = try await request("GET", "/apis", object: nil)
        try checkDiscovery(groups, "/apis")
        for group in try JSONReader.parse(groups.text)["groups"]?.arrayValue ?? [] {
            guard let name = group["name"]?.stringValue,
                  let groupVersion = group["preferredVersion"]?["groupVersion"]?.stringValue ?? group["versions"]?.arrayValue?.first?["groupVersion"]?.stringValue
            else { continue }
            preferred[name] = String(groupVersion.split(separator: "/").last ?? "")
        }
        return preferred
    }

    /// A refused credential is the same error whatever the request; anything else unserved is "does not serve".
    private func checkDiscovery(_ response: HTTPResponse, _ what: String) throws {
        guard response.status != 200 else { return }
        if response.status == 401 || response.status == 403 { try check(response, nil) }
        throw KubeError(status: response.status, reason: response.status == 404 ? "NotFound" : "",
                        message: "the server does not serve \(what)", object: nil, conflictManagers: [])
    }

    static func basePath(_ apiVersion: String) -> String {
        apiVersion.contains("/") ? "/apis/\(apiVersion)" : "/api/\(apiVersion)"
    }

    func path(_ ref: ObjectReference, name: Bool = true) async throws -> String {
        let resource = try await resource(apiVersion: ref.apiVersion, kind: ref.kind)
        var path = Self.basePath(ref.apiVersion)
        if resource.namespaced { path += "/namespaces/\(ref.namespace ?? target.namespace)" }
        path += "/\(resource.name)"
        if name { path += "/\(ref.name)" }
        return path
    }

    // MARK: Verbs

    /// The live object, or nil when there is none.
    public func get(_ ref: ObjectReference) async throws -> JSONValue? {
        let response = try await request("GET", try await path(ref), object: ref)
        if response.status == 404 { return nil }
        try check(response, ref)
        return try JSONReader.parse(response.text)
    }

    /// Objects of a kind, in one namespace (or all when nil), matching a label selector (`a=b,c!=d`).
    public func list(apiVersion: String, kind: String, namespace: String?, labelSelector: String? = nil) async throws -> [JSONValue] {
        try await listObjects(apiVersion: apiVersion, kind: kind, namespace: namespace, labelSelector: labelSelector).items
    }

    /// The collection of a kind: in `namespace` (all namespaces when nil) for a namespaced kind.
    func collectionPath(apiVersion: String, kind: String, namespace: String?) async throws -> String {
        let resource = try await resource(apiVersion: apiVersion, kind: kind)
        var path = Self.basePath(apiVersion)
        if resource.namespaced, let namespace { path += "/namespaces/\(namespace)" }
        return path + "/\(resource.name)"
    }

    /// Server-side apply of `object` (JSON, which the apply-patch+yaml content type accepts) as field manager `kiln`.
    /// Returns the object as the server stored it (or would, with `dryRun`).
    public func apply(_ object: JSONValue, force: Bool = false, dryRun: Bool = false) async throws -> JSONValue {
        let ref = Self.reference(object)
        var path = try await path(ref) + "?fieldManager=\(Self.fieldManager)"
        if force { path += "&force=true" }
        if dryRun { path += "&dryRun=All" }
        let response = try await request("PATCH", path, object: ref, body: Array(object.jsonText.utf8),
                                         contentType: "application/apply-patch+yaml")
        try check(response, ref)
        return try JSONReader.parse(response.text)
    }

    /// Deletes an object; false when it was already gone.
    @discardableResult
    public func delete(_ ref: ObjectReference, propagation: String = "Background") async throws -> Bool {
        let body = "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"propagationPolicy\":\"\(propagation)\"}"
        let response = try await request("DELETE", try await path(ref), object: ref, body: Array(body.utf8), contentType: "application/json")
        if response.status == 404 { return false }
        try check(response, ref)
        return true
    }

    // MARK: Plumbing

    public static func reference(_ object: JSONValue) -> ObjectReference {
        ObjectReference(apiVersion: object["apiVersion"]?.stringValue ?? "", kind: object["kind"]?.stringValue ?? "",
                        namespace: object["metadata"]?["namespace"]?.stringValue, name: object["metadata"]?["name"]?.stringValue ?? "")
    }

    func request(_ method: String, _ path: String, object: ObjectReference?, body: [UInt8]? = nil,
                 contentType: String? = nil) async throws -> HTTPResponse {
        var headers = [("Accept", "application/json")]
        if let contentType { headers.append(("Content-Type", contentType)) }
        return try await http.send(HTTPRequest(method, target.server + path, headers: headers, body: body))
    }

    func check(_ response: HTTPResponse, _ ref: ObjectReference?) throws {
        guard !(200...299).contains(response.status) else { return }
        let status = try? JSONReader.parse(response.text)
        let message = status?["message"]?.stringValue ?? (response.text.isEmpty ? "no message" : String(response.text.prefix(300)))
        var managers: [String] = []
        let causes = (status?["details"]?["causes"]?.arrayValue ?? []).map {
            KubeError.Cause(field: $0["field"]?.stringValue ?? "", message: $0["message"]?.stringValue ?? "",
                            reason: $0["reason"]?.stringValue ?? "")
        }
        for cause in status?["details"]?["causes"]?.arrayValue ?? [] {
            // Conflict causes read `conflict with "other-manager" using apps/v1: .spec.replicas`.
            if let text = cause["message"]?.stringValue, let open = text.firstIndex(of: "\""),
               let close = text[text.index(after: open)...].firstIndex(of: "\"") {
                let manager = String(text[text.index(after: open)..<close])
                if !managers.contains(manager) { managers.append(manager) }
            }
        }
        throw KubeError(status: response.status, reason: status?["reason"]?.stringValue ?? "", message: message,
                        object: ref?.description, conflictManagers: managers, causes: causes)
    }

    static func escape(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+"))) ?? s
    }
}
