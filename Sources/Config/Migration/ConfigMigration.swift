import Diagnostics
import Schema
import YAML

/// One thing `kiln migrate` did to a config, or could not do.
public struct MigrationChange: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case renamed, moved, removed, added, changed
        /// Removed with no 1.14 equivalent while its value mattered: a person must look at it.
        case unmapped
    }

    public let kind: Kind
    public let path: String
    public let to: String?
    /// Line of the key in the original file.
    public let line: Int?
    public let reason: String

    public var description: String {
        let at = line.map { "line \($0): " } ?? ""
        switch kind {
        case .renamed, .moved: return "\(at)\(kind.rawValue) \(path) → \(to ?? "")" + (reason.isEmpty ? "" : " (\(reason))")
        case .changed: return "\(at)changed \(path): \(reason)"
        case .added: return "added \(path): \(reason)"
        case .removed: return "\(at)removed \(path): \(reason)"
        case .unmapped: return "\(at)could not map \(path): \(reason)"
        }
    }
}

/// `kiln migrate`: rewrites a config written for an older schema (1.0 … 1.13) as a 1.14 config.
///
/// Every step is a named rule over the tree and records what it did. A config already at 1.14 is left as it is,
/// so migrating twice is the same as migrating once.
public enum ConfigMigration {
    public struct Result: Sendable {
        public let from: String
        public let changes: [MigrationChange]
        public let root: Instance
        /// The migrated config as YAML; nil when it was already current (nothing to write).
        public let text: String?

        public var alreadyCurrent: Bool { text == nil }
        public var unmapped: [MigrationChange] { changes.filter { $0.kind == .unmapped } }
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public static let target = InstallConfigSchema.currentVersion

    public static func migrate(_ file: ConfigFile) throws -> Result {
        guard let root = file.root, !file.diagnostics.hasErrors else {
            throw Failure(description: file.diagnostics.first?.message ?? "\(file.name) cannot be read")
        }
        guard root.members != nil else { throw Failure(description: "\(file.name) is not a YAML mapping") }
        let from = root["schema"]?.text ?? ""
        if from == target { return Result(from: from, changes: [], root: root, text: nil) }
        guard InstallConfigSchema.olderVersions.contains(from) else {
            throw Failure(description: from.isEmpty ? "\(file.name) has no `schema:` key; cannot tell which version it is"
                                                    : "unknown schema version `\(from)`; kiln migrates 1.0 … 1.13 to \(target)")
        }
        var tree = MigrationTree(root: root)
        for step in MigrationSteps.all { step(&tree, from) }
        tree.set(["schema"], Instance(.string(target)))
        tree.record(.changed, ["schema"], reason: "\(from) → \(target)")
        let text = "# Migrated from schema \(from) to \(target) by kiln migrate (kiln \(KilnVersion.current)).\n"
            + YAMLEmitter().emit(InstanceBuilder.node(tree.root))
        // In the order of the original file; additions (no line) last.
        let changes = tree.changes.enumerated().sorted { a, b in
            (a.element.line ?? Int.max, a.offset) < (b.element.line ?? Int.max, b.offset)
        }.map(\.element)
        return Result(from: from, changes: changes, root: tree.root, text: text)
    }
}

/// The config being migrated, with the changes made to it so far.
struct MigrationTree {
    var root: Instance
    var changes: [MigrationChange] = []

    func member(_ path: [String]) -> Member? {
        var node = root
        for key in path.dropLast() {
            guard let next = node[key] else { return nil }
            node = next
        }
        return node.members?.first { $0.key == path.last }
    }

    func value(_ path: [String]) -> Instance? { member(path)?.value }

    func line(_ path: [String]) -> Int? { member(path)?.keyLocation?.line }

    mutating func record(_ kind: MigrationChange.Kind, _ path: [String], to: [String]? = nil, reason: String) {
        changes.append(MigrationChange(kind: kind, path: path.joined(separator: "."), to: to?.joined(separator: "."),
                                       line: line(path), reason: reason))
    }

    /// Removes the key, recording why. Returns what was there.
    @discardableResult
    mutating func remove(_ path: [String], _ kind: MigrationChange.Kind = .removed, reason: String) -> Instance? {
        guard let found = member(path) else { return nil }
        record(kind, path, reason: reason)
        drop(path)
        return found.value
    }

    /// Removes the key without recording it (the step records a change of its own).
    mutating func drop(_ path: [String]) {
        root = Self.editing(root, path[...]) { members, key in members.removeAll { $0.key == key } }
    }

    /// Sets the value at `path`, creating mappings on the way, keeping the key's place if it exists.
    mutating func set(_ path: [String], _ value: Instance) {
        root = Self.editing(root, path[...]) { members, key in
            if let i = members.firstIndex(where: { $0.key == key }) {
                members[i].value = value
            } else {
                members.append(Member(key: key, value: value))
            }
        }
    }

    mutating func rename(_ path: [String], to newKey: String, reason: String = "") {
        guard member(path) != nil else { return }
        record(.renamed, path, to: Array(path.dropLast()) + [newKey], reason: reason)
        root = Self.editing(root, path[...]) { members, key in
            if let i = members.firstIndex(where: { $0.key == key }) { members[i].key = newKey }
        }
    }

    /// Applies `edit` to the members of the mapping that holds `path`'s last key.
    private static func editing(_ node: Instance, _ path: ArraySlice<String>, _ edit: (inout [Member], String) -> Void) -> Instance {
        guard let key = path.first else { return node }
        var members = node.members ?? []
        if path.count == 1 {
            edit(&members, key)
        } else if let i = members.firstIndex(where: { $0.key == key }) {
            members[i].value = editing(members[i].value, path.dropFirst(), edit)
        } else {
            members.append(Member(key: key, value: editing(Instance(.object([])), path.dropFirst(), edit)))
        }
        return Instance(.object(members), at: node.location)
    }
}
