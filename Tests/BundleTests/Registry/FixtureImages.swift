@testable import Bundle
import Foundation

/// Tiny images made by the tests: random layers of a few KiB, a config, an OCI manifest; and a two-platform index.
struct FixtureImages {
    let layout: OCILayout

    init(at path: String) throws { layout = try OCILayout.create(at: path) }

    func randomBlob(_ size: Int) throws -> (Digest, Int64) {
        var bytes = [UInt8](repeating: 0, count: size)
        for i in bytes.indices { bytes[i] = UInt8.random(in: 0...255) }
        let stored = try layout.write(blob: bytes)
        return (stored.digest, stored.size)
    }

    func json(_ value: Any) throws -> (Digest, Int64) {
        let data = try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])
        let stored = try layout.write(blob: Array(data))
        return (stored.digest, stored.size)
    }

    func descriptor(_ mediaType: String, _ blob: (Digest, Int64), platform: [String: String]? = nil) -> [String: Any] {
        var out: [String: Any] = ["mediaType": mediaType, "digest": blob.0.description, "size": blob.1]
        if let platform { out["platform"] = platform }
        return out
    }

    /// A manifest over `layers`, with a config naming the architecture; returns its digest and size.
    func manifest(layers: [(Digest, Int64)], architecture: String = "amd64") throws -> (Digest, Int64) {
        let config = try json(["architecture": architecture, "os": "linux",
                               "rootfs": ["type": "layers", "diff_ids": layers.map { $0.0.description }]])
        return try json(["schemaVersion": 2, "mediaType": OCIDescriptor.imageManifest,
                         "config": descriptor("application/vnd.oci.image.config.v1+json", config),
                         "layers": layers.map { descriptor("application/vnd.oci.image.layer.v1.tar", $0) }])
    }

    /// A single-platform image tagged `reference` in the layout.
    @discardableResult
    func image(_ reference: String, layers: [(Digest, Int64)]) throws -> Digest {
        let manifest = try manifest(layers: layers)
        try layout.tag(OCIDescriptor(mediaType: OCIDescriptor.imageManifest, digest: manifest.0, size: manifest.1),
                       as: try ImageReference(parsing: reference), original: reference)
        return manifest.0
    }

    /// An index of an amd64 and an arm64 manifest sharing `shared`; returns the index and the two manifests' digests.
    func multiArch(_ reference: String, shared: (Digest, Int64)) throws -> (index: Digest, amd64: Digest, arm64: Digest) {
        let amd = try manifest(layers: [shared, try randomBlob(3000)], architecture: "amd64")
        let arm = try manifest(layers: [shared, try randomBlob(3000)], architecture: "arm64")
        let index = try json(["schemaVersion": 2, "mediaType": OCIDescriptor.imageIndex, "manifests": [
            descriptor(OCIDescriptor.imageManifest, amd, platform: ["os": "linux", "architecture": "amd64"]),
            descriptor(OCIDescriptor.imageManifest, arm, platform: ["os": "linux", "architecture": "arm64", "variant": "v8"]),
        ]])
        try layout.tag(OCIDescriptor(mediaType: OCIDescriptor.imageIndex, digest: index.0, size: index.1),
                       as: try ImageReference(parsing: reference), original: reference)
        return (index.0, amd.0, arm.0)
    }
}
