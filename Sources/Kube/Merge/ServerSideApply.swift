import Schema

/// Field ownership as the API server tracks it (structured-merge-diff's `Updater`): what an apply merges, what it
/// removes, which fields conflict, and who owns what after an apply or an ordinary write.
public enum ServerSideApply {
    /// A field another manager owns and that the apply would change.
    public struct Conflict: Sendable, Equatable {
        public var manager: String
        public var apiVersion: String
        public var subresource: String?
        public var path: [FieldPathElement]

        /// The owner as the API server names it: `conflict with "kubectl-edit" using apps/v1`.
        public var owner: String {
            "conflict with \"\(manager)\"" + (subresource.map { " with subresource \"\($0)\"" } ?? "") + " using \(apiVersion)"
        }

        /// `conflict with "kubectl-edit" using apps/v1: .spec.replicas`
        public var message: String { owner + ": " + path.pathDescription }
    }

    public enum Outcome: Sendable {
        /// The object to store, its `metadata.managedFields` written.
        case merged(JSONValue)
        case conflicts([Conflict])
    }

    /// Applies `applied` as `manager` to `live` (nil: the object is created). Fields other managers own with another
    /// value are conflicts, unless `force` takes them from those managers. Fields the manager applied before and no
    /// longer sets are removed unless another manager still owns them.
    public static func apply(_ applied: JSONValue, to live: JSONValue?, manager: String, force: Bool, time: String,
                             subresource: String? = nil) -> Outcome {
        let kind = applied["kind"]?.stringValue ?? ""
        let appliedSet = FieldSet(of: applied, kind: kind)
        var entries = ManagedFieldsEntry.entries(of: live)
        let mine = entries.firstIndex { $0.isEntry(of: manager, .apply, subresource: subresource) }
        let previous = mine.map { entries[$0].fields } ?? FieldSet()

        var conflicts: [Conflict] = []
        var conflicting = FieldSet()
        for (index, entry) in entries.enumerated() where index != mine {
            for path in entry.fields.intersection(appliedSet).leaves where appliedSet.isLeaf(path)
                && FieldSet.value(at: path, in: live ?? .null) != FieldSet.value(at: path, in: applied) {
                conflicts.append(Conflict(manager: entry.manager, apiVersion: entry.apiVersion, subresource: entry.subresource, path: path))
                conflicting = conflicting.union(FieldSet(path: path))
            }
        }
        if !conflicts.isEmpty, !force { return .conflicts(conflicts) }
        for index in entries.indices where index != mine { entries[index].fields = entries[index].fields.subtracting(conflicting) }

        let others = entries.indices.filter { $0 != mine }.reduce(FieldSet()) { $0.union(entries[$1].fields) }
        var merged = StructuredMerge.merge(live: live, applied: applied, kind: kind)
        merged = StructuredMerge.removing(previous.subtracting(appliedSet), from: merged, keeping: others.union(appliedSet))

        let entry = ManagedFieldsEntry(manager: manager, operation: .apply, apiVersion: applied["apiVersion"]?.stringValue ?? "",
                                       time: time, subresource: subresource, fields: appliedSet)
        if let mine { entries[mine] = entry } else { entries.append(entry) }
        return .merged(writing(entries, into: merged))
    }

    /// Ownership after an ordinary write (create, update, patch) by `manager`, recorded as its `Update` entry: the
    /// fields the write added or changed become the manager's and leave their other owners.
    public static func update(from live: JSONValue?, to new: JSONValue, manager: String, time: String,
                              subresource: String? = nil) -> JSONValue {
        let kind = new["kind"]?.stringValue ?? ""
        var entries = ManagedFieldsEntry.entries(of: live)
        let changed = FieldSet.changes(from: live, to: new, kind: kind)
        guard !changed.isEmpty else { return writing(entries, into: new) }
        let mine = entries.firstIndex { $0.isEntry(of: manager, .update, subresource: subresource) }
        for index in entries.indices where index != mine { entries[index].fields = entries[index].fields.subtracting(changed) }
        let owned = (mine.map { entries[$0].fields } ?? FieldSet()).union(changed).intersection(FieldSet(of: new, kind: kind))
        let entry = ManagedFieldsEntry(manager: manager, operation: .update, apiVersion: new["apiVersion"]?.stringValue ?? "",
                                       time: time, subresource: subresource, fields: owned)
        if let mine { entries[mine] = entry } else { entries.append(entry) }
        return writing(entries, into: new)
    }

    /// `object` with `entries` (those that still own something) as its `metadata.managedFields`.
    static func writing(_ entries: [ManagedFieldsEntry], into object: JSONValue) -> JSONValue {
        guard case .object(var members) = object else { return object }
        var metadata = members.first { $0.0 == "metadata" }?.1.objectValue ?? []
        metadata.removeAll { $0.0 == "managedFields" }
        let owning = entries.filter { !$0.fields.isEmpty }
        if !owning.isEmpty { metadata.append(("managedFields", .array(owning.map(\.json)))) }
        members.removeAll { $0.0 == "metadata" }
        members.append(("metadata", .object(metadata)))
        return .object(members)
    }
}

extension FieldSet {
    /// Whether `path` is a member with nothing below it.
    func isLeaf(_ path: [FieldPathElement]) -> Bool {
        guard let first = path.first else { return isMember && children.isEmpty }
        return children[first.text]?.isLeaf(Array(path.dropFirst())) ?? false
    }
}
