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

    private let lock = NSLock()
    private var discovered: [String: [String: APIResource]] = [:]  // groupVersion → kind → resource

    public struct APIResource: Sendable, Equatable {
        public let name: String
        public let namespaced: Bool

        public init(name: String, namespaced: Bool) {
            self.name = name
            self.namespaced = namespaced
        }
    }

    public init(_ target: ClusterTarget) {
        self.target = target
        http = HTTPClient(target.http)
    }

    // MARK: Discovery

    /// The resource serving `kind` in `apiVersion` (`apps/v1` → `deployments`, namespaced), from the server's discovery
    /// document for that group version, fetched once per client.
    public func resource(apiVersion: String, kind: String) async throws -> APIResource {
        let cached = lock.withLock { discovered[apiVersion] }
        let resources: [String: APIResource]
        if let cached {
            resources = cached
        } else {
            let path = apiVersion.contains("/") ? "/apis/\(apiVersion)" : "/api/\(apiVersion)"
            let response = try await request("GET", path, object: nil)
            guard response.status == 200 else {
                throw KubeError(status: response.status, reason: response.status == 404 ? "NotFound" : "",
                                message: "the server does not serve \(apiVersion)", object: nil, conflictManagers: [])
            }
            var found: [String: APIResource] = [:]
            let json = try JSONReader.parse(response.text)
            for item in json["resources"]?.arrayValue ?? [] {
                guard let name = item["name"]?.stringValue, !name.contains("/"), let k = item["kind"]?.stringValue else { continue }
                found[k] = APIResource(name: name, namespaced: item["namespaced"]?.boolValue ?? false)
            }
            lock.withLock { discovered[apiVersion] = found }
            resources = found
        }
        guard let resource = resources[kind] else {
            throw KubeError(status: 404, reason: "NotFound", message: "the server does not serve kind \(kind) in \(apiVersion)",
                            object: nil, conflictManagers: [])
        }
        return resource
    }

    func path(_ ref: ObjectReference, name: Bool = true) async throws -> String {
        let resource = try await resource(apiVersion: ref.apiVersion, kind: ref.kind)
        var path = ref.apiVersion.contains("/") ? "/apis/\(ref.apiVersion)" : "/api/\(ref.apiVersion)"
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
        let resource = try await resource(apiVersion: apiVersion, kind: kind)
        var path = apiVersion.contains("/") ? "/apis/\(apiVersion)" : "/api/\(apiVersion)"
        if resource.namespaced, let namespace { path += "/namespaces/\(namespace)" }
        path += "/\(resource.name)"
        if let labelSelector { path += "?labelSelector=\(Self.escape(labelSelector))" }
        let response = try await request("GET", path, object: nil)
        try check(response, nil)
        return try JSONReader.parse(response.text)["items"]?.arrayValue ?? []
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
        for cause in status?["details"]?["causes"]?.arrayValue ?? [] {
            // Conflict causes read `conflict with "other-manager" using apps/v1: .spec.replicas`.
            if let text = cause["message"]?.stringValue, let open = text.firstIndex(of: "\""),
               let close = text[text.index(after: open)...].firstIndex(of: "\"") {
                let manager = String(text[text.index(after: open)..<close])
                if !managers.contains(manager) { managers.append(manager) }
            }
        }
        throw KubeError(status: response.status, reason: status?["reason"]?.stringValue ?? "", message: message,
                        object: ref?.description, conflictManagers: managers)
    }

    static func escape(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+"))) ?? s
    }
}
