import Apply
import Foundation
import Kube
import Manifests
import Schema

/// The `PlatformRelease` objects of a Platform: one per release, owned by it (so they go when it goes), their spec
/// applied by the operator (release, platform, drift mode) and their status written after every reconcile and drift
/// check. `spec.suspend` is the admin's (`kiln suspend RELEASE`): the operator never applies it, so never owns it.
struct ReleaseResources {
    let client: KubeClient

    static func name(platform: String, release: String) -> String {
        let name = "\(platform)-\(release)".lowercased().replacingOccurrences(of: "_", with: "-")
        return name.count <= 63 ? name : String(name.prefix(46)) + "-" + Digest.hex(name)
    }

    func reference(_ platform: PlatformObject, _ release: String) -> ObjectReference {
        ObjectReference(apiVersion: PlatformResource.apiVersion, kind: PlatformReleaseResource.kind, namespace: platform.namespace,
                        name: Self.name(platform: platform.name, release: release))
    }

    /// The live PlatformReleases of a Platform, by release.
    func live(_ platform: PlatformObject) async throws -> [String: JSONValue] {
        let items = try await client.list(apiVersion: PlatformResource.apiVersion, kind: PlatformReleaseResource.kind, namespace: platform.namespace,
                                          labelSelector: "\(PlatformReleaseResource.platformLabel)=\(platform.name)")
        var out: [String: JSONValue] = [:]
        for item in items {
            if let release = item["metadata"]?["labels"]?[PlatformReleaseResource.releaseLabel]?.stringValue { out[release] = item }
        }
        return out
    }

    /// The releases the admin suspended (`spec.suspend` of their PlatformRelease, or `spec.drift.releases.R.suspend`).
    func suspended(_ platform: PlatformObject, live known: [String: JSONValue]? = nil) async throws -> Set<String> {
        let live: [String: JSONValue]
        if let known { live = known } else { live = try await self.live(platform) }
        return Set(live.filter { $0.value["spec"]?["suspend"]?.boolValue == true }.map(\.key))
            .union(platform.drift.releases.filter(\.value.suspend).map(\.key))
    }

    /// Applies one PlatformRelease per release and deletes those of releases the config no longer has.
    func sync(_ platform: PlatformObject, releases: [String]) async throws {
        for release in releases {
            let ref = reference(platform, release)
            let object: JSONValue = .object([
                ("apiVersion", .string(ref.apiVersion)), ("kind", .string(ref.kind)),
                ("metadata", .object([
                    ("name", .string(ref.name)), ("namespace", .string(platform.namespace)),
                    ("labels", .object([(PlatformReleaseResource.platformLabel, .string(platform.name)),
                                        (PlatformReleaseResource.releaseLabel, .string(release)),
                                        ("app.kubernetes.io/managed-by", .string("kiln-operator"))])),
                    ("ownerReferences", .array([.object([
                        ("apiVersion", .string(PlatformResource.apiVersion)), ("kind", .string(PlatformResource.kind)),
                        ("name", .string(platform.name)), ("uid", .string(platform.uid)),
                        ("controller", .bool(true)), ("blockOwnerDeletion", .bool(true)),
                    ])])),
                ])),
                ("spec", .object([("release", .string(release)), ("platform", .string(platform.name)),
                                  ("drift", .object([("mode", .string(platform.drift.mode(for: release).rawValue))]))])),
            ])
            _ = try await client.apply(object, force: true)
        }
        let keep = Set(releases)
        for (release, object) in try await live(platform).sorted(by: { $0.key < $1.key }) where !keep.contains(release) {
            _ = try await client.delete(KubeClient.reference(object))
        }
    }

    /// Writes one release's status: its READY condition, REASON and MESSAGE columns, and drift findings when checked;
    /// nothing when they are what it says already (an idle drift check writes nothing). `known`: the object as just
    /// listed, saving a read.
    func report(_ platform: PlatformObject, release: String, ready: Bool?, reason: PlatformReleaseResource.Reason, message: String,
                objects: Int? = nil, drifted: [String]? = nil, known: JSONValue? = nil) async throws {
        let now = Condition.timestamp()
        try await StatusWriter(client: client).update(reference(platform, release), known: known) { status, live in
            let generation = Int(live["metadata"]?["generation"]?.numberValue ?? 1)
            var out = status.with("reason", .string(reason.rawValue)).with("message", .string(message))
                .with("observedGeneration", .number(Double(generation)))
            if let objects { out = out.with("objects", .number(Double(objects))) }
            if let drifted, status["drifted"] != .array(drifted.map(JSONValue.string)) {
                out = out.with("drifted", .array(drifted.map(JSONValue.string))).with("lastDriftChangeTime", .string(now))
            }
            let condition = Condition("Ready", ready, reason: reason.rawValue, message: message)
            let old = status["conditions"]?.arrayValue ?? []
            let same = old.first { $0["type"]?.stringValue == "Ready" }.map {
                $0["status"]?.stringValue == condition.statusText && $0["reason"]?.stringValue == condition.reason
                    && $0["message"]?.stringValue == condition.message && $0["observedGeneration"]?.numberValue == Double(generation)
            } ?? false
            if !same { out = out.with("conditions", Condition.merge([condition], into: old, generation: generation, now: now)) }
            return out
        }
    }
}

/// The name of a release's PlatformRelease, for the admin commands.
public enum PlatformReleaseName {
    public static func of(platform: String, release: String) -> String { ReleaseResources.name(platform: platform, release: release) }
}
