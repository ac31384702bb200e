import Foundation
import Kube
import Schema

/// Writes an object's status through the status subresource: read, change, write with the read resourceVersion; on
/// a conflict (someone wrote in between) read again. Status writes change neither generation nor spec, so the
/// operator's informer does not take them for a reason to reconcile.
struct StatusWriter {
    let client: KubeClient

    /// Sets `status` to `change(old status, object)`, starting from `known` (an object just listed) when given; no
    /// write when nothing changes. Returns the object as stored; nil when it is gone.
    @discardableResult
    func update(_ ref: ObjectReference, known: JSONValue? = nil, attempts: Int = 5,
                _ change: (JSONValue, JSONValue) -> JSONValue) async throws -> JSONValue? {
        var lastError: Error?
        var known = known
        for _ in 0..<attempts {
            let read: JSONValue?
            if let object = known { read = object } else { read = try await client.get(ref) }
            known = nil
            guard let live = read else { return nil }
            let old = live["status"] ?? .object([])
            let status = change(old, live)
            if status == old { return live }
            guard case .object(var members) = live else { return nil }
            members.removeAll { $0.0 == "status" }
            members.append(("status", status))
            do {
                return try await client.updateStatus(.object(members))
            } catch let error as KubeError where error.status == 409 {
                lastError = error
            } catch let error as KubeError where error.status == 404 {
                return nil
            }
        }
        throw lastError ?? KubeError(status: 409, reason: "Conflict", message: "status kept changing", object: ref.description, conflictManagers: [])
    }
}

extension JSONValue {
    /// (Public for the admin commands and tests, which edit objects the same way.)
    /// This object with `key` set (added at the end when new).
    public func with(_ key: String, _ value: JSONValue?) -> JSONValue {
        guard case .object(var members) = self else { return self }
        if let index = members.firstIndex(where: { $0.0 == key }) {
            if let value { members[index].1 = value } else { members.remove(at: index) }
        } else if let value {
            members.append((key, value))
        }
        return .object(members)
    }
}
