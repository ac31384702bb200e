import Platform
import Schema

/// Where a rendered object names an image: a container of a pod template (at any depth: a CronJob's sits in its job
/// template), or a ConfigMap entry the platform reads an image from — the execution images the dispatcher starts runs
/// with, and the central-configuration records that name sidecar images.
public struct ImageSite: Sendable, Hashable {
    public let release: String
    /// `kind/namespace/name`, as `ManifestObject.identity`.
    public let object: String
    /// `container nucleus-frontend`, `initContainer wait-for-mongodb`, `data executor`.
    public let field: String
    public let image: String
}

public enum ImageSites {
    static let containerLists = ["initContainers": "initContainer", "containers": "container", "ephemeralContainers": "ephemeralContainer"]

    /// The central-configuration records whose value is an image.
    static let imageRecords = Set(ExecutionImage.all.compactMap(\.record))

    public static func of(_ object: ManifestObject) -> [ImageSite] {
        var sites: [ImageSite] = []
        func site(_ field: String, _ image: String) {
            sites.append(ImageSite(release: object.release, object: object.identity, field: field, image: image))
        }
        if object.kind == "ConfigMap" {
            let data = object.body.first { $0.0 == "data" }?.1.objectValue ?? []
            for (key, value) in data {
                guard let image = value.stringValue else { continue }
                if object.name == NucleusHook.executionImageList || imageRecords.contains(key) { site("data \(key)", image) }
            }
            return sites
        }
        func walk(_ value: JSONValue) {
            switch value {
            case .object(let members):
                for (key, member) in members {
                    if let label = containerLists[key], let containers = member.arrayValue {
                        for container in containers {
                            if let image = container["image"]?.stringValue {
                                site("\(label) \(container["name"]?.stringValue ?? "?")", image)
                            }
                        }
                    } else {
                        walk(member)
                    }
                }
            case .array(let items): items.forEach(walk)
            default: break
            }
        }
        object.body.forEach { walk($0.1) }
        return sites
    }
}
