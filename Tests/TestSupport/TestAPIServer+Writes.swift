import Foundation
import Kube
import Schema

/// Where a write goes.
struct WriteTarget {
    var resource: ServedResource
    var namespace: String?
    /// Nil for a create, whose name is in the body.
    var name: String?
    /// `status`, or nil for the main resource.
    var subresource: String?
}

enum PatchType {
    case merge
    case strategic
    case json
}

/// A write, as its verb and content type make it.
enum WriteVerb {
    /// POST
    case create(JSONValue)
    /// PUT
    case replace(JSONValue)
    /// PATCH `application/apply-patch+yaml`
    case apply(JSONValue, force: Bool)
    /// PATCH with one of the other patch types.
    case patch(PatchType, JSONValue)

    var body: JSONValue {
        switch self {
        case .create(let body), .replace(let body), .apply(let body, _), .patch(_, let body): return body
        }
    }
}

extension TestAPIServer {
    /// Every write verb, one pipeline (as the API server's `create`/`update` handlers with the field manager and
    /// the registry strategies): resolve the name and namespace, require the namespace, compute the new object
    /// from the verb, keep the status subresource apart, track ownership, refuse immutable changes, set what the
    /// server sets (uid, creationTimestamp, generation, resourceVersion), encode as Go would, then store — unless
    /// nothing changed (the live object is returned untouched) or it is a dry run (nothing is stored).
    /// Called locked.
    func write(_ verb: WriteVerb, _ target: WriteTarget, manager: String, dryRun: Bool) -> (Int, JSONValue) {
        let resource = target.resource
        let body = verb.body
        let isJSONPatch: Bool = if case .patch(.json, _) = verb { true } else { false }
        let bodyName = isJSONPatch ? nil : body["metadata"]?["name"]?.stringValue
        guard let name = target.name ?? bodyName, !name.isEmpty else {
            return (422, APIStatus.failure(422, "Invalid", "\(resource.qualifiedKind) \"\" is invalid: metadata.name: Required value: "
                                           + "name or generateName is required"))
        }
        if let bodyName, bodyName != name {
            return APIStatus.badRequest("the name of the object (\(bodyName)) does not match the name on the URL (\(name))")
        }
        let bodyNamespace = isJSONPatch ? nil : body["metadata"]?["namespace"]?.stringValue
        if let bodyNamespace, let namespace = target.namespace, bodyNamespace != namespace {
            return APIStatus.badRequest("the namespace of the provided object does not match the namespace sent on the request")
        }
        let namespace = resource.namespaced ? target.namespace ?? bodyNamespace ?? "default" : nil
        // The namespace must exist for every write, dry runs included (the NamespaceLifecycle admission plugin).
        if let namespace, store[ObjectStore.namespaceKey(namespace)] == nil {
            return APIStatus.notFound("namespaces", namespace)
        }
        let key = ObjectStore.key(resource, namespace: namespace, name: name)
        let live = store[key]
        if target.subresource != nil, live == nil { return APIStatus.notFound(resource, name) }
        // A resourceVersion in the body is a precondition (optimistic concurrency); a create has nothing to compare.
        let isCreate: Bool = if case .create = verb { true } else { false }
        if !isCreate, !isJSONPatch, let wanted = body["metadata"]?["resourceVersion"]?.stringValue, !wanted.isEmpty, let live,
           live["metadata"]?["resourceVersion"]?.stringValue != wanted {
            return APIStatus.modified(resource, name)
        }
        let time = Self.now()
        let identify = { (object: JSONValue) in Self.identified(object, resource, namespace, name) }

        var candidate: JSONValue
        switch verb {
        case .apply(let applied, let force):
            let narrowed = Self.narrowed(identify(applied), to: target.subresource, resource: resource)
            switch ServerSideApply.apply(narrowed, to: live, manager: manager, force: force, time: time, subresource: target.subresource) {
            case .conflicts(let conflicts): return APIStatus.applyConflict(conflicts)
            case .merged(let merged): candidate = merged
            }
        default:
            var proposed: JSONValue
            switch verb {
            case .create(let object):
                if live != nil { return APIStatus.alreadyExists(resource, name) }
                proposed = object
            case .replace(let object):
                guard live != nil else { return APIStatus.notFound(resource, name) }
                proposed = object
            case .patch(let type, let patch):
                guard let live else { return APIStatus.notFound(resource, name) }
                switch type {
                case .merge: proposed = Patches.merge(live, patch)
                case .strategic: proposed = Patches.strategic(live, patch, kind: resource.kind)
                case .json:
                    do { proposed = try Patches.json(live, patch) } catch let failure as Patches.Failure {
                        return (failure.code, APIStatus.failure(failure.code, failure.code == 422 ? "Invalid" : "BadRequest", failure.message))
                    } catch { return APIStatus.badRequest("\(error)") }
                }
            case .apply: fatalError("handled above")
            }
            proposed = Self.keepingStatusApart(identify(proposed), live: live, subresource: target.subresource, resource: resource)
            candidate = ServerSideApply.update(from: live, to: proposed, manager: manager, time: time, subresource: target.subresource)
        }

        // The Secret strategy folds `stringData` into `data` after the field manager has recorded `f:stringData`.
        candidate = JSONEditing.foldingStringData(candidate)
        if let live {
            let errors = ImmutableFields.violations(kind: resource.kind, old: live, new: candidate)
            if !errors.isEmpty { return APIStatus.invalid(resource, name, errors) }
        }
        candidate = Self.withServerMetadata(candidate, live: live, resource: resource, time: time)
        if !resource.isCustom { candidate = GoEncoding.encoded(candidate, kind: resource.kind) }
        if let live, Self.sameIgnoringManagedTimes(candidate, live) { return (200, live) }
        if dryRun { return (live == nil ? 201 : 200, candidate) }
        let stored = store.write(candidate, at: key)
        if resource.kind == "CustomResourceDefinition" { catalog.register(stored) }
        state.broadcast()
        return (live == nil ? 201 : 200, stored)
    }

    /// The object's identity from the URL: apiVersion, kind, name, namespace.
    private static func identified(_ object: JSONValue, _ resource: ServedResource, _ namespace: String?, _ name: String) -> JSONValue {
        var result = JSONEditing.setting(object, ["apiVersion"], .string(resource.groupVersion))
        result = JSONEditing.setting(result, ["kind"], .string(resource.kind))
        result = JSONEditing.setting(result, ["metadata", "name"], .string(name))
        if let namespace { result = JSONEditing.setting(result, ["metadata", "namespace"], .string(namespace)) }
        return result
    }

    /// An applied configuration as the field manager sees it (the strategies' reset fields): without `status` for
    /// the main resource of a kind with a status subresource; only `status` (and the identity) for the subresource.
    private static func narrowed(_ applied: JSONValue, to subresource: String?, resource: ServedResource) -> JSONValue {
        if subresource == "status" {
            let metadata = applied["metadata"]?.objectValue?.filter { ["name", "namespace"].contains($0.0) } ?? []
            return .object((applied.objectValue ?? []).filter { ["apiVersion", "kind", "status"].contains($0.0) }
                + [("metadata", .object(metadata))])
        }
        return resource.hasStatus ? JSONEditing.removing(applied, ["status"]) : applied
    }

    /// A written object's status is the live one for a main-resource write, and the written one (with everything
    /// else live) for a status write.
    private static func keepingStatusApart(_ proposed: JSONValue, live: JSONValue?, subresource: String?,
                                           resource: ServedResource) -> JSONValue {
        if subresource == "status", let live {
            return proposed["status"].map { JSONEditing.setting(live, ["status"], $0) } ?? JSONEditing.removing(live, ["status"])
        }
        guard resource.hasStatus else { return proposed }
        return live?["status"].map { JSONEditing.setting(proposed, ["status"], $0) } ?? JSONEditing.removing(proposed, ["status"])
    }

    /// What the server sets and clients cannot: uid and creationTimestamp at creation, generation (1 at creation,
    /// one more whenever the spec — everything but metadata and status, for custom resources — changes) for kinds
    /// that track it, the live resourceVersion until the store gives the next one.
    private static func withServerMetadata(_ object: JSONValue, live: JSONValue?, resource: ServedResource, time: String) -> JSONValue {
        var result = object
        let tracksGeneration = resource.isCustom || object["spec"] != nil
        for field in ["uid", "creationTimestamp", "generation", "resourceVersion"] {
            result = live?["metadata"]?[field].map { JSONEditing.setting(result, ["metadata", field], $0) }
                ?? JSONEditing.removing(result, ["metadata", field])
        }
        guard let live else {
            result = JSONEditing.setting(result, ["metadata", "uid"], .string(UUID().uuidString.lowercased()))
            result = JSONEditing.setting(result, ["metadata", "creationTimestamp"], .string(time))
            return tracksGeneration ? JSONEditing.setting(result, ["metadata", "generation"], .number(1)) : result
        }
        guard tracksGeneration else { return result }
        func content(_ o: JSONValue) -> JSONValue {
            resource.isCustom ? JSONEditing.removing(JSONEditing.removing(o, ["metadata"]), ["status"]) : o["spec"] ?? .null
        }
        // Compared before Go encoding drops empty lists, as `apiequality.Semantic.DeepEqual` tells `[]` from nil.
        let generation = live["metadata"]?["generation"]?.numberValue ?? 0
        return JSONEditing.setting(result, ["metadata", "generation"], .number(content(object) == content(live) ? max(generation, 1) : generation + 1))
    }

    /// Equal but for managedFields timestamps: the API server skips such an update and keeps the live object (and its
    /// resourceVersion).
    private static func sameIgnoringManagedTimes(_ a: JSONValue, _ b: JSONValue) -> Bool {
        func untimed(_ object: JSONValue) -> JSONValue {
            guard let entries = object["metadata"]?["managedFields"]?.arrayValue else { return object }
            return JSONEditing.setting(object, ["metadata", "managedFields"], .array(entries.map { JSONEditing.removing($0, ["time"]) }))
        }
        return untimed(a) == untimed(b)
    }
}
