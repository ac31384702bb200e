import Config
import Platform
import Schema

/// Valid changes of one key's value in a config. Rendering the config before and after a change shows where the key
/// lands; the coverage test and `kiln explain KEY` both ask this.
///
/// Candidates are plausible edits of the current value (a boolean flipped, a number moved by one, another enum
/// value, a string with its last digit or letter changed, an entry added to a map or list, the key removed); only
/// those after which the whole config still validates (schema, semantic rules, catalog checks) are kept.
public enum KeyMutation {
    /// One valid change: the concrete path it edits and the config after it.
    public struct Change: Sendable {
        public let path: KeyPath
        public let root: Instance
        /// What was done, for messages (`true → false`, `removed`); secrets say only that they changed.
        public let summary: String
    }

    /// Where `leaf` sits in this config (the first item of each list on the way), or nil when the section that holds
    /// it is absent: the key does not apply to this config.
    public static func concretePath(_ leaf: KeyPath, in root: Instance) -> KeyPath? {
        var path = KeyPath()
        var node: Instance? = root
        for (i, component) in leaf.components.enumerated() {
            let last = i == leaf.components.count - 1
            switch component {
            case .index:
                guard let items = node?.elements, !items.isEmpty else { return nil }
                path = path.appending(index: 0)
                node = items[0]
            case .key(let key):
                guard let current = node, current.members != nil else { return nil }
                path = path.appending(key)
                node = current[key]
                if node == nil, !last { return nil }
            }
        }
        return path
    }

    /// Up to `limit` valid changes of `leaf` in `root`.
    public static func changes(of leaf: SchemaLeaf, in root: Instance, limit: Int = 4) -> [Change] {
        guard let path = concretePath(leaf.path, in: root) else { return [] }
        let current = root.value(at: path)
        let secret = SecretKeys.isSecret(leaf.path) || leaf.node.writeOnly
        var out: [Change] = []
        let companion = companions[leaf.path.patternDescription]
        for candidate in candidates(leaf, current: current) {
            var edited = root.setting(candidate, at: path)
            if let companion { edited = companion(candidate, edited) }
            guard isValid(edited) else { continue }
            let summary = secret ? "a new secret value" : candidate.map { "set to \(display($0))" } ?? "removed"
            out.append(Change(path: path, root: edited, summary: summary))
            if out.count == limit { break }
        }
        return out
    }

    /// Keys whose change is valid only together with another (a rule ties them): the other edit, given the new value.
    static let companions: [String: @Sendable (Instance?, Instance) -> Instance] = [
        // KILN-R015: a redirect to HTTPS needs HTTPS.
        "ssl_enabled": { value, root in
            value.flatMap(boolValue) == false ? root.setting(Instance(.bool(false)), at: KeyPath(parsing: "ssl_redirect")) : root
        },
        // The private registry is also the registry the pull secret authenticates to.
        "offline.image_registry": { value, root in
            guard let server = value?.text, root.value(at: KeyPath(parsing: "helm.image_registries[0]")) != nil else { return root }
            return root.setting(Instance(.string(server)), at: KeyPath(parsing: "helm.image_registries[0].server"))
        },
    ]

    static func isValid(_ root: Instance) -> Bool {
        !ConfigValidation.validate(root).hasErrors && !PlatformChecks.check(root).hasErrors
    }

    /// Plausible new values, most natural first; nil removes the key.
    static func candidates(_ leaf: SchemaLeaf, current: Instance?) -> [Instance?] {
        let facts = SchemaNavigation.applicators(leaf.node)
        let defaultValue = facts.lazy.compactMap(\.defaultValue).first
        let enumValues = facts.lazy.compactMap(\.enumValues).first ?? []
        let examples = facts.flatMap(\.examples)
        var out: [Instance?] = []
        switch leaf.shape {
        case .boolean:
            let now = current.flatMap(boolValue) ?? defaultValue?.boolValue ?? false
            out.append(Instance(.bool(!now)))
        case .integer, .number:
            let now = current.flatMap(numberValue) ?? defaultValue?.numberValue ?? 0
            out += [now + 1, now - 1, now * 2, now + 10].map { Instance(.number($0)) }
        case .string:
            let now = current?.scalarText ?? defaultValue?.stringValue
            if !enumValues.isEmpty {
                out += enumValues.compactMap(\.stringValue).filter { $0 != now }.map { Instance(.string($0)) }
            } else if let now {
                out += textVariants(now).map { Instance(.string($0)) }
            }
            out += examples.compactMap(\.stringValue).filter { $0 != now }.map { Instance(.string($0)) }
            if current == nil { out += samples.map { Instance(.string($0)) } }
        case .map:
            var members = current?.members ?? []
            if let first = members.first {
                var changed = members
                if let text = first.value.scalarText, let variant = textVariants(text).first {
                    changed[0].value = Instance(.string(variant))
                    out.append(Instance(.object(changed)))
                }
                out.append(Instance(.object(members + [Member(key: "coverage.example.com", value: first.value)])))
            }
            members.append(Member(key: "kiln.dev/coverage", value: Instance(.string("true"))))
            out.append(Instance(.object(members)))
        case .list:
            let items = current?.elements ?? []
            if let last = items.last?.scalarText, let variant = textVariants(last).first {
                out.append(Instance(.array(items + [Instance(.string(variant))])))
            }
            out += examples.compactMap(\.arrayValue).map { Instance(.array($0.map(Instance.init(json:)))) }
            out += examples.compactMap(\.stringValue).map { Instance(.array(items + [Instance(.string($0))])) }
            if items.isEmpty { out += ["10.0.0.0/8", "example.com", "tag=value"].map { Instance(.array([Instance(.string($0))])) } }
            if !items.isEmpty { out.append(Instance(.array(Array(items.dropLast())))) }
        }
        if current != nil { out.append(nil) }
        return out
    }

    /// Values of the forms the schema's strings take, for a key the config does not set yet.
    static let samples = ["example", "example.com", "5m", "10Gi", "123456789012", "admin@example.com", "https://example.com",
                          "arn:aws:iam::123456789012:role/example", "10.0.0.0/8", "example-sa@example.iam.gserviceaccount.com",
                          "00000000-0000-0000-0000-000000000000", "1"]

    /// Edits of a text that keep its form: the last digit bumped, the last letter changed, a suffix.
    static func textVariants(_ text: String) -> [String] {
        var out: [String] = []
        var chars = Array(text)
        if let i = chars.lastIndex(where: \.isNumber), let d = chars[i].wholeNumberValue {
            chars[i] = Character(String((d + 1) % 10))
            out.append(String(chars))
            chars = Array(text)
        }
        if let i = chars.lastIndex(where: { $0.isLetter && $0.isASCII }) {
            let c = chars[i]
            chars[i] = c == "z" ? "y" : c == "Z" ? "Y" : Character(Unicode.Scalar(c.asciiValue! + 1))
            out.append(String(chars))
        }
        out += [text + "x", "x" + text, text.isEmpty ? "example" : text + "-2"]
        return out.filter { $0 != text }
    }

    static func boolValue(_ i: Instance) -> Bool? {
        if case .bool(let b) = i.content { return b }
        return nil
    }

    static func numberValue(_ i: Instance) -> Double? {
        switch i.content {
        case .number(let n): return n
        case .untyped(let t), .string(let t): return Double(t)
        default: return nil
        }
    }

    static func display(_ i: Instance) -> String {
        switch i.content {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let n): return JSONValue.number(n).jsonText
        case .string(let s), .untyped(let s): return JSONValue.quote(s)
        case .array(let items): return "[" + items.map(display).joined(separator: ", ") + "]"
        case .object(let members): return "{" + members.map { "\($0.key): \(display($0.value))" }.joined(separator: ", ") + "}"
        }
    }
}
