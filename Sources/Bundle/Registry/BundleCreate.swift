import Config
import Foundation

/// `kiln bundle create`: every image of an inventory pulled (by its upstream `source`) into `<output>/oci`, the kiln
/// image beside them, the lock (`kiln-images.lock.json`, tag → the digest the layout names), `images.json`, and the
/// archive (`docker-images-<version>.tar`, its checksum and parts). Run again, it fetches only what is missing or
/// corrupt. The lock and images.json are written even when some image failed (with what did arrive), the archive only
/// when every image is there.
public struct BundleCreate: Sendable {
    public var output: String
    public var platforms: [ImagePlatform] = [.linuxAMD64]
    public var concurrency = 4
    public var maxPartSize: Int64?
    /// false: the layout, lock and images.json only (`--no-archive`).
    public var archive = true
    /// The kiln binary to package as kiln's image (`quay.io/kiln/kiln:<kilnVersion>`); nil for no kiln image.
    public var kilnBinary: String?
    public var kilnVersion: String

    public static let layoutDirectory = "oci"

    public init(output: String, kilnVersion: String) {
        self.output = output
        self.kilnVersion = kilnVersion
    }

    public struct Summary: Sendable, Encodable {
        public let event = "summary"
        public let version: String
        public let layout: String
        public let images: Int
        public let failed: Int
        public let bytes: Int64
        public let transferred: Int64
        public let blobs: Int
        public let seconds: Double
        public let kilnImage: String?
        public let archive: BundleArchive.Summary?
    }

    public struct Failed: Error, CustomStringConvertible {
        public let failures: [(image: String, error: Error)]
        public var unreachable: Bool { failures.contains { ($0.error as? RegistryError)?.isUnreachable ?? false } }
        public var description: String {
            "\(failures.count) image(s) could not be pulled:\n" + failures.map { "  \($0.image): \($0.error)" }.joined(separator: "\n")
        }
    }

    public func run(_ inventory: ImageInventory, session: RegistrySession,
                    events: @escaping @Sendable (TransferEvent) -> Void = { _ in }) async throws -> Summary {
        let clock = ContinuousClock()
        let started = clock.now
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        let layout = try OCILayout.create(at: "\(output)/\(Self.layoutDirectory)")
        var seen = Set<ImageReference>()
        let items = inventory.images.filter { seen.insert($0.source).inserted }.map { PullItem($0.source, original: $0.sourceText) }
        let puller = ImagePuller(session: session, layout: layout, platforms: platforms, concurrency: concurrency, events: events)
        let report = try await puller.pull(items)

        var lock = ImageLock(platformVersion: inventory.version)
        for image in report.images {
            lock.set(try Digest(parsing: image.digest), for: try ImageReference(parsing: image.reference))
        }
        var kilnImage: String?
        if let kilnBinary {
            let descriptor = try KilnImage.write(into: layout, binary: kilnBinary, version: kilnVersion)
            let reference = KilnImage.reference(version: kilnVersion)
            lock.set(try Digest(parsing: descriptor.digest), for: reference)
            kilnImage = "\(reference)@\(descriptor.digest)"
        }
        let lockPath = "\(output)/\(ImageLock.fileName)"
        let imagesPath = "\(output)/\(ImagesJSON.fileName)"
        try lock.write(to: lockPath)
        try FileOutput.write(ImagesJSON.text(inventory, lock: lock), to: imagesPath, overwrite: true)
        guard report.failures.isEmpty else { throw Failed(failures: report.failures) }

        var archived: BundleArchive.Summary?
        if archive {
            archived = try BundleArchive.write(layout: layout, extraFiles: [ImageLock.fileName: lockPath, ImagesJSON.fileName: imagesPath],
                                               version: inventory.version, to: output, maxPartSize: maxPartSize)
        }
        let elapsed = clock.now - started
        return Summary(version: inventory.version, layout: layout.path, images: report.images.count, failed: 0,
                       bytes: report.images.reduce(0) { $0 + $1.bytes }, transferred: session.counters.bytesReceived,
                       blobs: try layout.blobs().count,
                       seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
                       kilnImage: kilnImage, archive: archived)
    }
}
