@testable import Bundle
import Manifests
import Testing

struct PinningTests {
    func lock(for inventory: ImageInventory, leavingOut: String? = nil) -> ImageLock {
        var lock = ImageLock(platformVersion: inventory.version)
        for image in inventory.images where image.source.description != leavingOut {
            lock.set(SHA256Hasher.digest(Array(image.source.description.utf8)), for: image.source)
        }
        return lock
    }

    @Test func pinningRewritesEveryImageToItsDigest() throws {
        let config = exampleConfig("eks.yaml")
        let inventory = try ImageInventory.of(config)
        let lock = lock(for: inventory)
        let pinning = ImagePinning(lock: lock)
        let result = PlatformRenderer.render(config, secrets: SecretValues(variable: { _ in "x" }, readFile: { _ in "x" }), images: pinning.rewrite)
        #expect(pinning.missing.isEmpty)
        let pinned = try ImageInventory.of(result, version: inventory.version)
        #expect(pinned.images.count == inventory.images.count)
        for image in pinned.images {
            #expect(image.reference.tag == nil, "\(image.reference)")
            #expect(image.reference.digest != nil, "\(image.reference)")
        }
        let nucleus = try ImageReference(parsing: "quay.io/domino/nucleus:6.1.2")
        #expect(pinned.images.contains { $0.reference.description == "quay.io/domino/nucleus@\(lock.digest(for: nucleus)!)" })
    }

    @Test func anImageMissingFromTheLockIsNamed() throws {
        let config = exampleConfig("eks.yaml")
        let inventory = try ImageInventory.of(config)
        let pinning = ImagePinning(lock: lock(for: inventory, leavingOut: "quay.io/domino/executor:6.1.2"))
        _ = PlatformRenderer.render(config, secrets: SecretValues(variable: { _ in "x" }, readFile: { _ in "x" }), images: pinning.rewrite)
        #expect(pinning.missing == ["quay.io/domino/executor:6.1.2"])
    }
}
