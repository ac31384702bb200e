import Apply
import Bundle
import Config
import Manifests

/// Looks up every image of an offline render in its private registry (one manifest request per image).
struct RegistryProbe {
    let session: RegistrySession
    let concurrency: Int

    func probe(_ result: RenderResult, config: ConfigView) async throws -> [ClusterFacts.ImageProbe] {
        let inventory = try ImageInventory.of(result, version: config.string(.version) ?? "")
        let images = Array(Set(inventory.images.map(\.reference))).sorted()
        return try await ResourceManager.concurrently(images, limit: concurrency) { image in
            do {
                return ClusterFacts.ImageProbe(image: "\(image)", problem: try await session.hasManifest(image) ? nil : "not in the registry")
            } catch {
                return ClusterFacts.ImageProbe(image: "\(image)", problem: "\(error)")
            }
        }
    }
}
