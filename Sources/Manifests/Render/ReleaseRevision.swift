/// The `kiln.dev/config-revision` label: a digest of one release's rendered objects, stamped on each of them. A config
/// change moves the label of the releases it changes and no others, so a GitOps commit of a one-key change touches only
/// the files of the releases that key lands in. Secret values are left out of the digest (only their keys count):
/// a label must not let anyone check a guess at a secret.
enum ReleaseRevision {
    static func stamp(_ objects: [ManifestObject]) -> [ManifestObject] {
        var texts: [String: [String]] = [:]
        for object in objects { texts[object.release, default: []].append(digestText(object)) }
        let digests = texts.mapValues { ContentDigest.of($0.sorted().joined(separator: "\n")) }
        return objects.map { object in
            var stamped = object
            stamped.labels[ObjectLabels.configRevision] = digests[object.release]
            return stamped
        }
    }

    static func digestText(_ object: ManifestObject) -> String {
        guard object.isSecret else { return object.json.jsonText }
        var masked = object
        masked.body = object.body.map { key, value in
            guard key == "stringData" || key == "data", case .object(let members) = value else { return (key, value) }
            return (key, .object(members.map { ($0.0, .string("")) }))
        }
        return masked.json.jsonText
    }
}
