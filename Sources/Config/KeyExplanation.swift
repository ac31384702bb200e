import YAML
import Schema

/// What `kiln explain KEY` says about one key of the install config, gathered from the schema.
public struct KeyExplanation: Sendable {
    public let path: String
    public let types: [String]
    /// "yes", "no", or "when `parent` is present".
    public let required: String
    public let allowedValues: [String]
    public let form: String?
    public let defaultValue: String?
    public let secret: Bool
    public let description: String
    public let reference: String?
    /// Child keys with the first sentence of their description (for mappings).
    public let keys: [(name: String, summary: String)]
    public let kilnExtension: Bool

    /// Explains `path` (`storage_classes.block.name`, `helm.image_registries[].server`), or says which key was
    /// meant when there is no such key.
    public static func explain(_ text: String, schema: JSONSchema = InstallConfigSchema.shared) -> Result<KeyExplanation, UnknownKey> {
        let path = KeyPath(parsing: text)
        var node: SchemaNode = schema.root
        var parent: SchemaNode?
        var walked = KeyPath()
        for component in path.components {
            let next: SchemaNode?
            switch component {
            case .key(let key): next = SchemaNavigation.child(of: node, key: key)
            case .index: next = SchemaNavigation.element(of: node)
            }
            guard let next else {
                var candidates: [String] = []
                if case .key(let key) = component {
                    let known = SchemaNavigation.applicators(node).flatMap(\.allowedKeys)
                    candidates = known
                    return .failure(UnknownKey(path: text, parent: walked.description, suggestion: Suggestion.closest(to: key, in: known),
                                               known: candidates))
                }
                return .failure(UnknownKey(path: text, parent: walked.description, suggestion: nil, known: []))
            }
            parent = node
            node = next
            walked = KeyPath(walked.components + [component])
        }
        return .success(KeyExplanation(path: walked.description, node: node, parent: parent, lastComponent: path.components.last))
    }

    public struct UnknownKey: Error, Sendable {
        public let path: String
        public let parent: String
        public let suggestion: String?
        public let known: [String]
    }

    init(path: String, node: SchemaNode, parent: SchemaNode?, lastComponent: KeyPath.Component?) {
        let facts = SchemaNavigation.applicators(node)
        func first<T>(_ get: (SchemaNode) -> T?) -> T? { facts.lazy.compactMap(get).first }
        self.path = path.isEmpty ? "(the whole config)" : path
        var types = first(\.types)?.map(\.rawValue) ?? []
        if types.isEmpty, first(\.ref) == nil, !(first(\.enumValues)?.isEmpty ?? true) { types = ["string"] }
        self.types = types.map { $0 == "array" ? "list" : $0 == "object" ? "mapping" : $0 }
        if case .key(let key)? = lastComponent, let parent {
            let parentFacts = SchemaNavigation.applicators(parent)
            if parentFacts.contains(where: { $0.required.contains(key) }) {
                required = parent === InstallConfigSchema.shared.root ? "yes" : "yes, when its parent section is present"
            } else {
                required = "no"
            }
        } else {
            required = lastComponent == nil ? "yes" : "no"
        }
        allowedValues = (first(\.enumValues) ?? first(\.constValue).map { [$0] } ?? []).map { $0.stringValue ?? $0.jsonText }
        form = first { $0.extensions["x-kiln-pattern-hint"]?.stringValue } ?? first(\.pattern)?.source
        defaultValue = first(\.defaultValue).map { $0.stringValue ?? $0.jsonText }
        secret = facts.contains { $0.writeOnly } || (lastComponent.map { c in
            if case .key(let k) = c { return SecretKeys.isSecret(key: k) } else { return false }
        } ?? false)
        description = first(\.description) ?? ""
        reference = first { $0.extensions["x-kiln-reference"]?.stringValue }
        kilnExtension = facts.contains { $0.extensions["x-kiln-extension"]?.boolValue == true }
        var keys: [(String, String)] = []
        for n in facts {
            for (name, child) in n.properties where !keys.contains(where: { $0.0 == name }) {
                let text = SchemaNavigation.applicators(child).lazy.compactMap(\.description).first ?? ""
                keys.append((name, KeyExplanation.firstSentence(text)))
            }
        }
        self.keys = keys
    }

    static func firstSentence(_ s: String) -> String {
        if let dot = s.range(of: ". ") { return String(s[..<dot.lowerBound]) + "." }
        return s
    }
}

/// What `kiln explain KILN-…` says about a diagnostic code.
public struct CodeExplanation: Sendable {
    public let code: String
    public let summary: String
    public let reference: String?
    public let kind: String

    public init(code: String, summary: String, reference: String?, kind: String) {
        self.code = code
        self.summary = summary
        self.reference = reference
        self.kind = kind
    }

    public static func explain(_ code: String) -> CodeExplanation? {
        let upper = code.uppercased()
        if let rule = SemanticRules.rule(upper) {
            return CodeExplanation(code: rule.id, summary: rule.summary, reference: rule.reference, kind: "semantic rule")
        }
        let tables: [(String, [(code: String, summary: String)])] = [
            ("YAML", YAMLCode.summaries), ("schema", SchemaCode.summaries), ("config file", ConfigCode.summaries),
        ]
        for (kind, table) in tables {
            if let hit = table.first(where: { $0.code == upper }) {
                return CodeExplanation(code: hit.code, summary: hit.summary, reference: nil, kind: kind)
            }
        }
        return nil
    }

    /// Every code kiln reports, in order.
    public static var all: [CodeExplanation] {
        (YAMLCode.summaries.map { CodeExplanation(code: $0.code, summary: $0.summary, reference: nil, kind: "YAML") }
            + SchemaCode.summaries.map { CodeExplanation(code: $0.code, summary: $0.summary, reference: nil, kind: "schema") }
            + ConfigCode.summaries.map { CodeExplanation(code: $0.code, summary: $0.summary, reference: nil, kind: "config file") }
            + SemanticRules.all.map { CodeExplanation(code: $0.id, summary: $0.summary, reference: $0.reference, kind: "semantic rule") })
    }
}
