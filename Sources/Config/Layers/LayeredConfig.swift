import Diagnostics
import Schema

/// A config merged from its layers, with the origins of every value it holds.
public struct LayeredConfig: Sendable {
    public let root: Instance
    /// Key path → every layer that set or removed it, in order.
    public let origins: [KeyPath: [ValueOrigin]]
    /// The text of every file that contributed, for source snippets.
    public let sources: [String: SourceText]

    /// Merges `layers` in order, then applies `flags` to the result: a flag patches one value in place (inside a
    /// list too), where a layer would replace the whole list.
    public init(layers: [ConfigLayer], flags: [SetFlag] = []) {
        var origins: [KeyPath: [ValueOrigin]] = [:]
        var root: Instance?
        var sources: [String: SourceText] = [:]
        for layer in layers {
            if let file = layer.file, let source = layer.source { sources[file] = source }
            root = Self.merge(root, layer.root, at: .root, layer: layer, origins: &origins)
        }
        var merged = root ?? Instance(.object([]))
        for flag in flags {
            let removes = Self.isNull(flag.value)
            merged = flag.applied(to: merged)
            origins[flag.path, default: []].append(
                ValueOrigin(kind: .flag, file: nil, location: nil, removed: removes, flag: "--set " + flag.text))
        }
        self.root = merged
        self.origins = origins
        self.sources = sources
    }

    /// The origins of `path`, or of its nearest ancestor that has any (a value inside a list or a replaced
    /// mapping came with it).
    public func origins(of path: KeyPath) -> (path: KeyPath, origins: [ValueOrigin]) {
        var p = path
        while true {
            if let found = origins[p], !found.isEmpty { return (p, found) }
            guard !p.components.isEmpty else { return (p, []) }
            p.components.removeLast()
        }
    }

    /// The file a diagnostic about `path` belongs to: the last layer that wrote it (or its nearest ancestor).
    public func file(for path: KeyPath) -> String? {
        origins(of: path).origins.last { !$0.removed }?.file
    }

    static func isNull(_ i: Instance) -> Bool {
        switch i.content {
        case .null: return true
        case .untyped(let t): return ["", "~", "null", "Null", "NULL"].contains(t)
        default: return false
        }
    }

    /// `overlay` on top of `base`; nil when the overlay removes the value.
    static func merge(_ base: Instance?, _ overlay: Instance, at path: KeyPath, layer: ConfigLayer,
                      origins: inout [KeyPath: [ValueOrigin]]) -> Instance? {
        if isNull(overlay), !path.components.isEmpty {
            origins[path, default: []].append(layer.origin(at: path, overlay.location, removed: true))
            return nil
        }
        guard let overlayMembers = overlay.members else {
            origins[path, default: []].append(layer.origin(at: path, overlay.location))
            return overlay
        }
        // A mapping over nothing (or over a scalar) still merges key by key, so every value records its own line.
        let base = base?.members != nil ? base! : Instance(.object([]), at: overlay.location)
        let baseMembers = base.members ?? []
        if !path.components.isEmpty {
            origins[path, default: []].append(layer.origin(at: path, overlay.location))
        }
        var members = baseMembers
        for member in overlayMembers {
            let childPath = path.appending(member.key)
            let index = members.firstIndex { $0.key == member.key }
            let merged = merge(index.map { members[$0].value }, member.value, at: childPath, layer: layer, origins: &origins)
            switch (index, merged) {
            case let (i?, value?): members[i] = Member(key: member.key, keyLocation: member.keyLocation, value: value)
            case let (i?, nil): members.remove(at: i)
            case let (nil, value?): members.append(Member(key: member.key, keyLocation: member.keyLocation, value: value))
            case (nil, nil): break
            }
        }
        return Instance(.object(members), at: overlay.location ?? base.location)
    }
}
