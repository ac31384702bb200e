/// The `kiln.dev/config-revision` label: a digest of one release's rendered objects, stamped on each of them. A config
/// change moves the label of the releases it changes and no others, so a GitOps commit of a one-key change touches only
/// the files of the releases that key lands in. Secret values are left out of the digest (only their keys count):
/// a label must not let anyone check a guess at a secret.
enum ReleaseRevision {
    static func stamp(_ objects: consuming [ManifestObject]) -> [ManifestObject] {
        // Objects are digested in identity order, so the label does not depend on the order they were rendered in.
        // (Identities are built once and indices sorted: sorting the objects by a computed identity built two strings
        // per comparison and moved whole objects, a third of the stamp's time.)
        var byRelease: [String: [(identity: String, index: Int)]] = [:]
        for (index, object) in objects.enumerated() { byRelease[object.release, default: []].append((object.identity, index)) }
        var digests: [String: String] = [:]
        for (release, members) in byRelease {
            var digest = ContentDigest()
            for member in members.sorted(by: { $0.identity < $1.identity }) { digest.add(comparable(objects[member.index])) }
            digests[release] = digest.hex
        }
        // In place: the caller hands its array over, so no object (or label map) is copied.
        for index in objects.indices { objects[index].labels[ObjectLabels.configRevision] = digests[objects[index].release] }
        return objects
    }

    /// The object as the digest sees it: Secret values blanked (only their keys count).
    static func comparable(_ object: ManifestObject) -> ManifestObject {
        guard object.isSecret else { return object }
        var masked = object
        masked.body = object.body.map { key, value in
            guard key == "stringData" || key == "data", case .object(let members) = value else { return (key, value) }
            return (key, .object(members.map { ($0.0, .string("")) }))
        }
        return masked
    }
}
