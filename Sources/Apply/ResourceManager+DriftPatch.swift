import Kube
import Manifests
import Schema

/// One drifted object as the operator reports it: what kind of drift, and the JSON patch correction would apply to
/// the live object (Secret values masked, the fields drift ignores left out).
public struct DriftFinding: Sendable {
    public let object: ObjectReference
    public let release: String
    /// `changed` (fields kiln sets hold other values), `added` (others added entries or fields), `removed` (fields kiln
    /// sets are gone), joined with `+` when several.
    public let kind: String
    /// RFC 6902 operations, from the live object to what kiln renders.
    public let patch: [JSONValue]

    public var patchText: String { JSONValue.array(patch).jsonText }
}

extension ResourceManager {
    /// Drift with the patch correction would apply, per drifted object: the same dry run `drift` makes, compared as
    /// JSON rather than as text.
    public func driftFindings(_ result: RenderResult, inventory: ApplySet, ignore: (String) -> [DriftIgnore],
                              options: ApplyOptions = ApplyOptions()) async throws -> [DriftFinding] {
        // One dry run per distinct set of ignore rules (usually one for the whole platform): a single pass lists each
        // kind once per namespace, where one pass per release would read most objects one by one.
        var byRules: [String: (rules: [DriftIgnore], releases: Set<String>)] = [:]
        for release in result.releases {
            let rules = ignore(release)
            let key = rules.map { "\($0.kind ?? ""):\($0.path.joined(separator: "."))" }.joined(separator: ",")
            byRules[key, default: (rules, [])].releases.insert(release)
        }
        var findings: [DriftFinding] = []
        for key in byRules.keys.sorted() {
            let (rules, releases) = byRules[key]!
            let objects = result.objects.filter { releases.contains($0.release) }
            let part = RenderResult(objects: objects, releases: result.releases.filter(releases.contains), waves: result.waves,
                                    dependencies: result.dependencies, diagnostics: [], platform: result.platform)
            for diff in try await drift(part, inventory: inventory, ignore: rules, options: options) {
                guard let object = objects.first(where: { ResourceManager.reference($0) == diff.object }) else { continue }
                findings.append(try await finding(object, inventory: inventory, ignore: rules + DriftIgnore.builtIn))
            }
        }
        let order = Dictionary(result.objects.enumerated().map { (ResourceManager.reference($1), $0) }, uniquingKeysWith: { a, _ in a })
        return findings.sorted { (order[$0.object] ?? 0) < (order[$1.object] ?? 0) }
    }

    func finding(_ object: ManifestObject, inventory: ApplySet, ignore: [DriftIgnore]) async throws -> DriftFinding {
        var member = object
        member.labels[ApplySet.partOfLabel] = inventory.id
        let ref = ResourceManager.reference(object)
        let live = try await client.get(ref) ?? .object([])
        let desired = ForeignEntries.stripped(try await client.apply(member.json, force: true, dryRun: true), rendered: member.json, kind: object.kind)
        let (before, after) = SecretMask.pair(live: live, desired: desired)
        func comparable(_ value: JSONValue) -> JSONValue {
            DriftIgnore.apply(ignore, to: Normalize.forComparison(value), kind: object.kind)
        }
        let patch = JSONPatchDiff.operations(from: comparable(before ?? .object([])), to: comparable(after))
        let ops = Set(patch.compactMap { $0["op"]?.stringValue })
        let kind = [("replace", "changed"), ("remove", "added"), ("add", "removed")].filter { ops.contains($0.0) }.map(\.1).joined(separator: "+")
        return DriftFinding(object: ref, release: object.release, kind: kind.isEmpty ? "changed" : kind, patch: patch)
    }
}

extension ResourceManager {
    /// Re-applies the objects of these findings (`correct`, for what `driftFindings` found).
    public func correct(_ findings: [DriftFinding], in result: RenderResult, inventory: ApplySet, options: ApplyOptions) async throws -> Int {
        try await correct(findings.map { ObjectDiff(object: $0.object, action: .update, text: "") }, in: result, inventory: inventory, options: options)
    }
}
