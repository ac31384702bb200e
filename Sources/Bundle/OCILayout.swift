import Config
import Foundation

/// An OCI image layout on disk (image-spec `image-layout.md`): `oci-layout`, `index.json`, and `blobs/sha256/<hex>`
/// holding every manifest, config and layer once, whichever images share it. `index.json` lists one manifest (or
/// index) per image reference, annotated with the reference as `org.opencontainers.image.ref.name`.
public struct OCILayout: Sendable {
    public static let layoutFile = "oci-layout"
    public static let indexFile = "index.json"
    public static let blobsDirectory = "blobs/sha256"
    /// The spec's annotation naming an `index.json` entry; kiln writes the full reference (`quay.io/domino/nucleus:6.1.2`),
    /// which its grammar allows, since one layout holds many repositories whose tags alone would collide.
    public static let refNameAnnotation = "org.opencontainers.image.ref.name"
    /// containerd's name annotation: `ctr images import` names an image by it.
    public static let containerdNameAnnotation = "io.containerd.image.name"
    /// The reference exactly as the render wrote it (before Docker Hub's short forms were made explicit).
    public static let originalReferenceAnnotation = "dev.kiln.image.reference"

    public let path: String

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    struct LayoutFile: Codable { let imageLayoutVersion: String }
    struct Index: Codable {
        var schemaVersion = 2
        var mediaType: String? = OCIDescriptor.imageIndex
        var manifests: [OCIDescriptor]
    }

    /// Opens the layout at `path`, creating the directories and files a new one needs.
    public static func create(at path: String) throws -> OCILayout {
        let layout = OCILayout(path: path)
        try FileManager.default.createDirectory(atPath: layout.blobDirectory, withIntermediateDirectories: true)
        if !FileManager.default.fileExists(atPath: layout.file(layoutFile)) {
            try FileOutput.write(BundleJSON.text(LayoutFile(imageLayoutVersion: "1.0.0")), to: layout.file(layoutFile), overwrite: true)
        }
        if !FileManager.default.fileExists(atPath: layout.file(indexFile)) {
            try layout.writeIndex([])
        }
        return layout
    }

    /// Opens an existing layout; refuses a directory that is not one.
    public init(opening path: String) throws {
        self.init(path: path)
        guard let data = FileManager.default.contents(atPath: file(Self.layoutFile)),
              let version = try? JSONDecoder().decode(LayoutFile.self, from: data) else {
            throw Failure(description: "\(path) is not an OCI image layout (no readable \(Self.layoutFile))")
        }
        guard version.imageLayoutVersion.hasPrefix("1.") else {
            throw Failure(description: "\(file(Self.layoutFile)): image layout version \(version.imageLayoutVersion) is not 1.x")
        }
    }

    init(path: String) { self.path = path }

    func file(_ name: String) -> String { "\(path)/\(name)" }
    var blobDirectory: String { file(Self.blobsDirectory) }

    public func blobPath(_ digest: Digest) -> String { "\(blobDirectory)/\(digest.hex)" }

    /// Whether the blob is stored (with that size, when given): what a resumed download skips.
    public func hasBlob(_ digest: Digest, size: Int64? = nil) -> Bool {
        guard let stored = FileChunks.size(of: blobPath(digest)) else { return false }
        return size.map { $0 == stored } ?? true
    }

    /// A writer for one blob whose bytes arrive in pieces; `expected` is checked on commit.
    /// A writer for one blob; `resumable` (with the digest known) continues what an interrupted writer left.
    public func blobWriter(expecting expected: Digest? = nil, resumable: Bool = false) throws -> BlobWriter {
        try BlobWriter(directory: blobDirectory, expected: expected, resumable: resumable)
    }

    /// Stores bytes held in memory (a manifest, a config).
    @discardableResult
    public func write(blob bytes: [UInt8], expecting expected: Digest? = nil) throws -> (digest: Digest, size: Int64) {
        let digest = SHA256Hasher.digest(bytes)
        if let expected, expected != digest { throw Failure(description: "blob \(expected) has digest \(digest): not stored") }
        if hasBlob(digest, size: Int64(bytes.count)) { return (digest, Int64(bytes.count)) }
        var writer = try blobWriter(expecting: digest)
        try writer.append(bytes)
        return try writer.commit()
    }

    /// Stores a file's bytes (a layer downloaded elsewhere), streamed, checked against `expected`.
    @discardableResult
    public func write(blob expected: Digest?, from source: String) throws -> (digest: Digest, size: Int64) {
        if let expected, let size = FileChunks.size(of: source), hasBlob(expected, size: size) { return (expected, size) }
        var writer = try blobWriter(expecting: expected)
        try FileChunks.read(source) { try writer.append($0) }
        return try writer.commit()
    }

    /// The stored blobs, sorted (temporary files left by an interrupted write are not blobs).
    public func blobs() throws -> [Digest] {
        try FileManager.default.contentsOfDirectory(atPath: blobDirectory).compactMap { try? Digest(parsing: "sha256:\($0)") }.sorted()
    }

    /// The `index.json` entries, sorted by reference.
    public func manifests() throws -> [OCIDescriptor] {
        guard let data = FileManager.default.contents(atPath: file(Self.indexFile)) else {
            throw Failure(description: "\(file(Self.indexFile)) cannot be read")
        }
        do { return try JSONDecoder().decode(Index.self, from: data).manifests } catch {
            throw Failure(description: "\(file(Self.indexFile)) is not an OCI image index")
        }
    }

    /// Names the stored manifest `manifest` as `reference` in `index.json`, replacing what that reference named before.
    /// Safe to call from concurrent tasks (one pull per image): `index.json` is read and replaced under a lock.
    public func tag(_ manifest: OCIDescriptor, as reference: ImageReference, original: String? = nil) throws {
        Self.indexLock.lock()
        defer { Self.indexLock.unlock() }
        var entry = manifest
        var annotations = entry.annotations ?? [:]
        annotations[Self.refNameAnnotation] = reference.description
        annotations[Self.containerdNameAnnotation] = reference.description
        annotations[Self.originalReferenceAnnotation] = original ?? reference.description
        entry.annotations = annotations
        let others = try manifests().filter { $0.annotations?[Self.refNameAnnotation] != reference.description }
        try writeIndex(others + [entry])
    }

    private static let indexLock = NSLock()

    func writeIndex(_ manifests: [OCIDescriptor]) throws {
        let sorted = manifests.sorted {
            ($0.annotations?[Self.refNameAnnotation] ?? "", $0.digest) < ($1.annotations?[Self.refNameAnnotation] ?? "", $1.digest)
        }
        try FileOutput.write(BundleJSON.text(Index(manifests: sorted)), to: file(Self.indexFile), overwrite: true)
    }
}
