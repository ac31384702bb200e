import Manifests

/// One step of an apply: objects that go to the cluster together (in parallel), then are waited for.
public struct ApplyWave: Sendable {
    public let name: String
    public let objects: [ManifestObject]
}

/// The waves of a render, as rules a person can read (as kapp states its change rules):
///
/// 1. definitions: CustomResourceDefinitions and Namespaces, which everything else needs to exist;
/// 2. cluster: the other cluster-scoped objects (storage and priority classes, cluster roles and bindings, ingress
///    classes, volumes);
/// 3. then one wave per install level of the release dependency graph: a release's objects go after every release
///    it depends on is applied and ready.
///
/// Within a wave objects go in parallel; the next wave starts when every object of this one is ready. Which stage a
/// kind goes in is `KindRules.table`'s.
public enum ApplyWaves {
    public static func plan(_ result: RenderResult) -> [ApplyWave] {
        let objects = result.objects
        func stage(_ object: ManifestObject) -> KindRule.Stage { KindRules.rule(for: object.kind).stage }
        var waves = [
            ApplyWave(name: "definitions", objects: objects.filter { stage($0) == .definitions }),
            ApplyWave(name: "cluster", objects: objects.filter { stage($0) == .cluster }),
        ]
        let rest = objects.filter { stage($0) == .release }
        let levels = Set(result.waves.values).sorted()
        for level in levels {
            let members = rest.filter { (result.waves[$0.release] ?? 0) == level }
            guard !members.isEmpty else { continue }
            let releases = Set(members.map(\.release)).sorted()
            waves.append(ApplyWave(name: "level \(level): " + (releases.count > 4 ? "\(releases.count) releases" : releases.joined(separator: ", ")),
                                   objects: members))
        }
        return waves.filter { !$0.objects.isEmpty }
    }
}
