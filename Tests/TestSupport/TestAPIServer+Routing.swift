import Foundation
import Schema

extension TestAPIServer {
    /// Logs the request, plays an injected fault if one is queued, and answers.
    func respond(_ request: HTTPServerRequest) -> HTTPServerResponse {
        let fault: Fault? = state.withLock {
            log.append("\(request.method) \(request.proxied ? "(proxied) " : "")\(request.target)")
            authorizations.append(request.headers["authorization"] ?? "")
            inFlight += 1
            mostInFlight = max(mostInFlight, inFlight)
            return faults.isEmpty ? nil : faults.removeFirst()
        }
        defer { state.withLock { inFlight -= 1 } }
        switch fault {
        case .drop?:
            return .drop
        case .delay(let seconds)?:
            Thread.sleep(forTimeInterval: seconds)
        case .status(let code, let retryAfter)?:
            let status = APIStatus.failure(code, code == 429 ? "TooManyRequests" : "InternalError", "injected fault")
            return .json(code, JSONDocument(text: status.jsonText), headers: retryAfter.map { ["Retry-After: \($0)"] } ?? [])
        case nil:
            break
        }
        return handle(request)
    }

    private func handle(_ request: HTTPServerRequest) -> HTTPServerResponse {
        let parts = request.target.split(separator: "?", maxSplits: 1)
        if let answer = preflightAnswer(request, path: String(parts[0])) { return answer }
        let query = APIQuery(parts.count > 1 ? parts[1] : nil)
        let route = state.withLock { APIRoute(path: String(parts[0]), catalog: catalog) }
        if case .collection(let resource, let namespace) = route, request.method == "GET", query.flag("watch") {
            return watch(resource, namespace: namespace, query: query)
        }
        if case .object(let resource, let namespace, let name, "log"?) = route, request.method == "GET" {
            return podLog(resource, namespace: namespace, name: name)
        }
        let (code, body) = state.withLock { answer(request, route, query) }
        return .json(code, JSONDocument(text: body.jsonText))
    }

    /// Everything but watches. Called locked.
    private func answer(_ request: HTTPServerRequest, _ route: APIRoute, _ query: APIQuery) -> (Int, JSONValue) {
        let dryRun = query["dryRun"] == "All"
        switch (request.method, route) {
        case ("GET", .coreVersions): return (200, catalog.coreVersions)
        case ("GET", .groupList): return (200, catalog.groupList)
        case ("GET", .group(let name)): return catalog.group(name).map { (200, $0) } ?? APIStatus.noSuchResource
        case ("GET", .resourceList(let gv)): return catalog.resourceList(gv).map { (200, $0) } ?? APIStatus.noSuchResource
        case ("GET", .collection(let resource, let namespace)):
            return list(resource, namespace: namespace, query: query)
        case ("GET", .object(let resource, let namespace, let name, let subresource)) where subresource == nil || subresource == "status":
            let key = ObjectStore.key(resource, namespace: namespace, name: name)
            guard let object = store[key] else { return APIStatus.notFound(resource, name) }
            gets[key, default: 0] += 1
            return (200, asRead(key, object, of: resource))
        case ("POST", .collection(let resource, let namespace)):
            guard let body = Self.parse(request.body) else { return APIStatus.badRequest("the body is not JSON") }
            let target = WriteTarget(resource: resource, namespace: namespace, name: nil, subresource: nil)
            return write(.create(body), target, manager: manager(request, query), dryRun: dryRun)
        case ("POST", .object(let resource, let namespace?, let name, "token"?)) where resource.kind == "ServiceAccount":
            return tokenRequest(namespace: namespace, serviceAccount: name, body: Self.parse(request.body))
        case ("PUT", .object(let resource, let namespace, let name, let subresource)),
             ("PATCH", .object(let resource, let namespace, let name, let subresource)):
            guard subresource == nil || subresource == "status" else { return APIStatus.noSuchResource }
            guard let body = Self.parse(request.body) else { return APIStatus.badRequest("the body is not JSON") }
            let target = WriteTarget(resource: resource, namespace: namespace, name: name, subresource: subresource)
            let verb: WriteVerb
            if request.method == "PUT" {
                verb = .replace(body)
            } else {
                let contentType = request.headers["content-type"]?.split(separator: ";").first.map(String.init) ?? ""
                switch contentType {
                case "application/apply-patch+yaml":
                    guard let manager = query["fieldManager"], !manager.isEmpty else {
                        return (422, APIStatus.failure(422, "Invalid", "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: "
                                                       + "Required value: is required for apply patch"))
                    }
                    return write(.apply(body, force: query.flag("force")), target, manager: manager, dryRun: dryRun)
                case "application/merge-patch+json": verb = .patch(.merge, body)
                case "application/strategic-merge-patch+json": verb = .patch(.strategic, body)
                case "application/json-patch+json": verb = .patch(.json, body)
                default:
                    return (415, APIStatus.failure(415, "UnsupportedMediaType", "the body of the request was in an unknown format - "
                                                   + "accepted media types include: application/json-patch+json, application/merge-patch+json, "
                                                   + "application/apply-patch+yaml"))
                }
            }
            return write(verb, target, manager: manager(request, query), dryRun: dryRun)
        case ("DELETE", .object(let resource, let namespace, let name, nil)):
            return delete(resource, namespace: namespace, name: name, dryRun: dryRun)
        case (_, .unknown), (_, .object), (_, .collection):
            return APIStatus.noSuchResource
        default:
            return (405, APIStatus.failure(405, "MethodNotAllowed", "the server does not allow this method on the requested resource"))
        }
    }

    /// A TokenRequest (the `token` subresource of a ServiceAccount): a bound token for it, as `kubectl create token`
    /// gets one. Tokens are not checked by this server; tests read `tokensIssued`. Called locked.
    private func tokenRequest(namespace: String, serviceAccount name: String, body: JSONValue?) -> (Int, JSONValue) {
        let resource = catalog.resource("v1", plural: "serviceaccounts")
        guard let resource, store[ObjectStore.key(resource, namespace: namespace, name: name)] != nil else {
            return (404, APIStatus.failure(404, "NotFound", "serviceaccounts \"\(name)\" not found"))
        }
        guard let body, [nil, "TokenRequest"].contains(body["kind"]?.stringValue) else { return APIStatus.badRequest("the body is not a TokenRequest") }
        let seconds = Int(body["spec"]?["expirationSeconds"]?.numberValue ?? 3600)
        guard seconds >= 600 else {
            return (422, APIStatus.failure(422, "Invalid", "TokenRequest.authentication.k8s.io \"\(name)\" is invalid: "
                                           + "spec.expirationSeconds: Invalid value: \(seconds): may not specify a duration less than 10 minutes"))
        }
        let token = "test-token.\(namespace).\(name).\(issuedTokens.count + 1)"
        issuedTokens.append(token)
        let expiry = ISO8601DateFormatter().string(from: Date().addingTimeInterval(Double(seconds)))
        return (201, .object([
            ("kind", .string("TokenRequest")), ("apiVersion", .string("authentication.k8s.io/v1")),
            ("metadata", .object([("name", .string(name)), ("namespace", .string(namespace))])),
            ("spec", .object([("audiences", .array([.string("https://kubernetes.default.svc.cluster.local")])),
                              ("expirationSeconds", .number(Double(seconds)))])),
            ("status", .object([("token", .string(token)), ("expirationTimestamp", .string(expiry))])),
        ]))
    }

    /// `?fieldManager=`, else the user agent up to its first slash (`kubectl/v1.30.0 …` → `kubectl`), as the API
    /// server names managers of writes that do not say.
    private func manager(_ request: HTTPServerRequest, _ query: APIQuery) -> String {
        if let manager = query["fieldManager"], !manager.isEmpty { return manager }
        let agent = request.headers["user-agent"].map { String($0.prefix { $0 != "/" }) } ?? ""
        return agent.isEmpty ? "unknown" : agent
    }

    private static func parse(_ body: [UInt8]) -> JSONValue? {
        try? JSONReader.parse(String(decoding: body, as: UTF8.self))
    }

    /// Objects of a resource in one namespace (or all), filtered by label and field selectors, sorted by key, with
    /// the list's resourceVersion (the last write's). Called locked.
    private func list(_ resource: ServedResource, namespace: String?, query: APIQuery) -> (Int, JSONValue) {
        let items = matching(resource, namespace: namespace, query: query).map { asRead($0.key, $0.object, of: resource) }
        return (200, .object([("kind", .string(resource.kind + "List")), ("apiVersion", .string(resource.groupVersion)),
                              ("metadata", .object([("resourceVersion", .string("\(store.revision)"))])), ("items", .array(items))]))
    }

    /// Stored objects of a resource (in a namespace) that the query's selectors select, by key. Called locked.
    func matching(_ resource: ServedResource, namespace: String?, query: APIQuery) -> [(key: String, object: JSONValue)] {
        let prefix = "\(resource.storeGroupVersion)/\(resource.plural)/" + (namespace.map { "\($0)/" } ?? "")
        let labels = LabelSelector(query["labelSelector"])
        let fields = FieldSelector(query["fieldSelector"])
        return store.objects.filter { $0.key.hasPrefix(prefix) && ObjectStore.parts($0.key)?.plural == resource.plural }
            .sorted { $0.key < $1.key }
            .filter { labels.matches($0.value) && fields.matches($0.value) }
            .map { ($0.key, $0.value) }
    }

    /// Deletes at once (no finalizers, no graceful termination). A Namespace takes its objects with it; a CRD its
    /// custom resources, and the server stops serving them. Called locked.
    private func delete(_ resource: ServedResource, namespace: String?, name: String, dryRun: Bool) -> (Int, JSONValue) {
        let key = ObjectStore.key(resource, namespace: namespace, name: name)
        guard store[key] != nil else { return APIStatus.notFound(resource, name) }
        guard !dryRun else { return (200, APIStatus.success(resource, name: name)) }
        store.delete(key)
        if resource.kind == "Namespace" {
            for other in store.objects.keys where ObjectStore.parts(other)?.namespace == name { store.delete(other) }
        }
        if resource.kind == "CustomResourceDefinition" {
            let served = catalog.all.filter(\.isCustom)
            catalog.unregister(name)
            for gone in served where !catalog.all.contains(gone) {
                for other in store.objects.keys where other.hasPrefix("\(gone.storeGroupVersion)/\(gone.plural)/") { store.delete(other) }
            }
        }
        gets[key] = nil
        state.broadcast()
        return (200, APIStatus.success(resource, name: name))
    }
}
