import Manifests

/// What one release changes between two renders: its images, and the objects added and removed.
public struct ReleaseChange: Sendable, Codable, Equatable {
    public let release: String
    /// `old → new` per container image that changes (an image only one side has shows as `(none)`).
    public var images: [String] = []
    public var added: [String] = []
    public var removed: [String] = []

    public var isEmpty: Bool { images.isEmpty && added.isEmpty && removed.isEmpty }

    /// Every release of either render that changes, in the newer render's install order (releases it drops last).
    public static func between(_ old: RenderResult, _ new: RenderResult) -> [ReleaseChange] {
        let releases = new.releases + old.releases.filter { !new.releases.contains($0) }
        return releases.map { release in
            let before = old.objects.filter { $0.release == release }, after = new.objects.filter { $0.release == release }
            var change = ReleaseChange(release: release)
            let beforeIDs = Set(before.map(\.identity)), afterIDs = Set(after.map(\.identity))
            change.added = afterIDs.subtracting(beforeIDs).sorted()
            change.removed = beforeIDs.subtracting(afterIDs).sorted()
            let oldImages = images(before), newImages = images(after)
            for container in Set(oldImages.keys).union(newImages.keys).sorted() where oldImages[container] != newImages[container] {
                change.images.append("\(container): \(oldImages[container] ?? "(none)") → \(newImages[container] ?? "(none)")")
            }
            return change
        }.filter { !$0.isEmpty }
    }

    /// `Kind/namespace/name container` → image, for every container of every workload.
    static func images(_ objects: [ManifestObject]) -> [String: String] {
        var found: [String: String] = [:]
        for object in objects {
            let json = object.json
            guard let pod = json["spec"]?["template"]?["spec"] ?? json["spec"]?["jobTemplate"]?["spec"]?["template"]?["spec"] else { continue }
            for list in ["initContainers", "containers"] {
                for container in pod[list]?.arrayValue ?? [] {
                    if let image = container["image"]?.stringValue {
                        found["\(object.identity) \(container["name"]?.stringValue ?? "")"] = image
                    }
                }
            }
        }
        return found
    }
}
