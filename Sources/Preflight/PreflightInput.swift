import Apply
import Config
import Manifests
import Platform
import Schema

/// What the rules judge: the config (schema-typed), its render and sizing, and what was read from the cluster.
public struct PreflightInput: Sendable {
    public let config: ConfigView
    public let result: RenderResult
    public let sizing: SizingPlan
    public let facts: ClusterFacts
    /// kiln's inventory: objects labelled as its members are kiln's own.
    public let inventory: ApplySet

    public init(config: ConfigView, result: RenderResult, sizing: SizingPlan, facts: ClusterFacts, inventory: ApplySet) {
        self.config = config
        self.result = result
        self.sizing = sizing
        self.facts = facts
        self.inventory = inventory
    }

    /// Whether a live object is kiln's: a member of this inventory, or labelled as managed by kiln.
    func isKilns(_ object: JSONValue) -> Bool {
        let labels = object["metadata"]?["labels"]
        return labels?[ApplySet.partOfLabel]?.stringValue == inventory.id || labels?["app.kubernetes.io/managed-by"]?.stringValue == "kiln"
    }

    /// The rendered objects of a kind.
    func rendered(_ kind: String) -> [ManifestObject] { result.objects.filter { $0.kind == kind } }
}

extension JSONValue {
    var name: String { self["metadata"]?["name"]?.stringValue ?? "" }

    func label(_ key: String) -> String? { self["metadata"]?["labels"]?[key]?.stringValue }

    func annotation(_ key: String) -> String? { self["metadata"]?["annotations"]?[key]?.stringValue }
}
