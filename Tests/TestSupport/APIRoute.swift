import Foundation

/// What a request's path names, resolved against the resources the server serves.
enum APIRoute {
    /// `/api`
    case coreVersions
    /// `/apis`
    case groupList
    /// `/apis/<group>`
    case group(String)
    /// `/api/v1`, `/apis/<group>/<version>`
    case resourceList(String)
    /// `/apis/apps/v1/namespaces/<ns>/deployments`; namespace nil for every namespace (or a cluster-scoped kind).
    case collection(ServedResource, namespace: String?)
    /// `…/deployments/<name>` and `…/deployments/<name>/status`.
    case object(ServedResource, namespace: String?, name: String, subresource: String?)
    case unknown

    init(path: String, catalog: ResourceCatalog) {
        let segments = path.split(separator: "/").map(String.init)
        let groupVersion: String
        var rest: ArraySlice<String>
        switch (segments.first, segments.count) {
        case ("api", 1): self = .coreVersions; return
        case ("api", _): groupVersion = segments[1]; rest = segments.dropFirst(2)
        case ("apis", 1): self = .groupList; return
        case ("apis", 2): self = .group(segments[1]); return
        case ("apis", _): groupVersion = segments[1] + "/" + segments[2]; rest = segments.dropFirst(3)
        default: self = .unknown; return
        }
        guard let first = rest.first else {
            self = .resourceList(groupVersion)
            return
        }
        var namespace: String?
        // `namespaces/<ns>/<resource>` scopes a namespaced resource; `namespaces/<name>/status` is a Namespace's status.
        if first == "namespaces", rest.count >= 3, catalog.resource(groupVersion, plural: rest[rest.startIndex + 2])?.namespaced == true {
            namespace = rest[rest.startIndex + 1]
            rest = rest.dropFirst(2)
        }
        guard let resource = catalog.resource(groupVersion, plural: rest.first!) else {
            self = .unknown
            return
        }
        let parts = Array(rest.dropFirst())
        switch parts.count {
        case 0: self = .collection(resource, namespace: namespace)
        case 1, 2:
            guard !resource.namespaced || namespace != nil else {
                self = .unknown
                return
            }
            self = .object(resource, namespace: namespace, name: parts[0], subresource: parts.count == 2 ? parts[1] : nil)
        default: self = .unknown
        }
    }
}

/// A request's query parameters, percent-decoded.
struct APIQuery {
    private var values: [String: String] = [:]

    init(_ text: Substring?) {
        for pair in (text ?? "").split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1)
            let value = kv.count > 1 ? String(kv[1]).replacingOccurrences(of: "+", with: " ") : ""
            values[String(kv[0])] = value.removingPercentEncoding ?? value
        }
    }

    subscript(name: String) -> String? { values[name] }

    /// `watch=1`, `watch=true`.
    func flag(_ name: String) -> Bool { ["1", "true"].contains(values[name] ?? "") }
}
