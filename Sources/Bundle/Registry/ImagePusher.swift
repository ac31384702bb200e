import Foundation
import Kube

/// What one pushed image became in the registry.
public struct PushedImage: Sendable, Encodable {
    /// Where it went (`registry.example.com:5000/domino/nucleus:6.1.2`).
    public let reference: String
    /// As the layout names it (upstream).
    public let source: String
    public let digest: String
    public let bytes: Int64
    public let transferred: Int64
    public let uploaded: Int
    public let mounted: Int
    public let present: Int
}

/// Pushes every image of an OCI layout into a registry, under the names an offline config's render pulls
/// (`PushTarget`): blobs first (each `BlobUploader` does HEAD, mount or upload; a blob several repositories need is
/// uploaded once and mounted into the others), then the manifests by digest — an index's platform manifests before
/// the index — then the tag. An image whose tag already names its digest in the registry is skipped whole, so a push
/// resumed after an interruption sends only what is missing.
public struct ImagePusher: Sendable {
    public let session: RegistrySession
    public let layout: OCILayout
    public let target: PushTarget
    public let concurrency: Int
    public let chunkSize: Int64?
    public let events: @Sendable (TransferEvent) -> Void
    private let limiter: TransferLimiter
    private let firstUploads = SharedTasks<FirstPush>()

    public init(session: RegistrySession, layout: OCILayout, target: PushTarget, concurrency: Int = 4, chunkSize: Int64? = nil,
                events: @escaping @Sendable (TransferEvent) -> Void = { _ in }) {
        self.session = session
        self.layout = layout
        self.target = target
        self.concurrency = max(1, concurrency)
        self.chunkSize = chunkSize
        self.events = events
        limiter = TransferLimiter(self.concurrency)
    }

    public struct Report: Sendable {
        public var images: [PushedImage] = []
        public var failures: [(image: String, error: Error)] = []
    }

    /// One image of the layout: its `index.json` entry, where it goes, and everything it consists of.
    struct Plan: Sendable {
        let source: String
        let target: ImageReference
        let top: ManifestDocument
        /// An index's platform manifests (in the layout), pushed before it.
        let children: [ManifestDocument]
        /// Unique, by digest.
        let blobs: [ManifestDocument.Child]
    }

    public func push() async throws -> Report {
        let plans = try layout.manifests().map(plan)
        let outcome = try await ImageTransfers.run(plans, concurrency: concurrency, name: { $0.target.description },
                                                   reference: { $0.reference }, events: events) { try await push($0) }
        return Report(images: outcome.done, failures: outcome.failures)
    }

    func document(_ digest: Digest, mediaType: String?, of source: String) throws -> ManifestDocument {
        guard let data = FileManager.default.contents(atPath: layout.blobPath(digest)) else {
            throw OCILayout.Failure(description: "\(source): manifest \(digest) is not in the layout \(layout.path)")
        }
        return try ManifestDocument(bytes: Array(data), contentType: mediaType)
    }

    func plan(_ entry: OCIDescriptor) throws -> Plan {
        let source = entry.annotations?[OCILayout.refNameAnnotation] ?? entry.digest
        let original = entry.annotations?[OCILayout.originalReferenceAnnotation] ?? source
        let top = try document(try Digest(parsing: entry.digest), mediaType: entry.mediaType, of: source)
        let children = try top.manifests.map { try document($0.digest, mediaType: $0.mediaType, of: source) }
        var seen = Set<Digest>()
        let blobs = (children + [top]).flatMap(\.blobs).filter { seen.insert($0.digest).inserted }
        return Plan(source: source, target: try target.reference(for: original), top: top, children: children, blobs: blobs)
    }

    func push(_ plan: Plan) async throws -> PushedImage {
        let name = plan.target.description
        events(TransferEvent(.imageStarted, image: name))
        let endpoint = session.endpoint(plan.target.registry)
        let repository = plan.target.repository
        let bytes = plan.blobs.reduce(Int64(plan.top.bytes.count)) { $0 + $1.size } + plan.children.reduce(0) { $0 + Int64($1.bytes.count) }
        if let tag = plan.target.tag, try await registryDigest(of: tag, repository, endpoint) == plan.top.digest {
            let image = PushedImage(reference: name, source: plan.source, digest: plan.top.digest.description, bytes: bytes,
                                    transferred: 0, uploaded: 0, mounted: 0, present: plan.blobs.count)
            events(TransferEvent(.imageDone, image: name, digest: image.digest, bytes: bytes, transferred: 0))
            return image
        }
        let uploader = BlobUploader(session: session, endpoint: endpoint, chunkSize: chunkSize)
        let outcomes = try await withThrowingTaskGroup(of: (BlobUploader.Outcome, Int64).self) { group in
            for blob in plan.blobs {
                group.addTask {
                    let outcome = try await pushBlob(blob, repository: repository, endpoint: endpoint, uploader)
                    events(TransferEvent(.blobDone, image: name, digest: blob.digest.description, bytes: blob.size,
                                         transferred: outcome == .uploaded ? blob.size : 0))
                    return (outcome, blob.size)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        for child in plan.children { try await putManifest(child, as: child.digest.description, repository, endpoint) }
        try await putManifest(plan.top, as: plan.top.digest.description, repository, endpoint)
        if let tag = plan.target.tag { try await putManifest(plan.top, as: tag, repository, endpoint) }
        let transferred = outcomes.filter { $0.0 == .uploaded }.reduce(0) { $0 + $1.1 }
        let image = PushedImage(reference: name, source: plan.source, digest: plan.top.digest.description, bytes: bytes,
                                transferred: transferred, uploaded: outcomes.filter { $0.0 == .uploaded }.count,
                                mounted: outcomes.filter { $0.0 == .mounted }.count, present: outcomes.filter { $0.0 == .present }.count)
        events(TransferEvent(.imageDone, image: name, digest: image.digest, bytes: bytes, transferred: transferred))
        return image
    }

    /// The first repository to need a blob uploads it; the others wait for that, then mount from it.
    func pushBlob(_ blob: ManifestDocument.Child, repository: String, endpoint: RegistryEndpoint, _ uploader: BlobUploader) async throws
        -> BlobUploader.Outcome {
        let file = layout.blobPath(blob.digest)
        guard layout.hasBlob(blob.digest, size: blob.size) else {
            throw OCILayout.Failure(description: "blob \(blob.digest) is not in the layout \(layout.path) (run `kiln bundle verify`)")
        }
        let limiter = limiter
        let key = "\(endpoint.name) \(blob.digest)"
        let (firstPush, first) = try await firstUploads.run(key) {
            let outcome = try await limiter.run {
                try await uploader.push(blob.digest, size: blob.size, file: file, to: repository, mountFrom: nil)
            }
            return FirstPush(repository: repository, outcome: outcome)
        }
        if first { return firstPush.outcome }
        if firstPush.repository == repository { return .present }
        return try await limiter.run {
            try await uploader.push(blob.digest, size: blob.size, file: file, to: repository, mountFrom: firstPush.repository)
        }
    }

    struct FirstPush: Sendable {
        let repository: String
        let outcome: BlobUploader.Outcome
    }

    /// The digest `tag` names in the registry, nil when it names nothing.
    func registryDigest(of tag: String, _ repository: String, _ endpoint: RegistryEndpoint) async throws -> Digest? {
        let head = try await session.head(endpoint.url(repository, "manifests", tag), to: endpoint,
                                          headers: [("Accept", ManifestDocument.acceptedTypes.joined(separator: ", "))],
                                          scopes: ["repository:\(repository):pull,push"], subject: "manifest \(endpoint.name)/\(repository):\(tag)")
        guard head.status == 200 else { return nil }
        return head.headers["docker-content-digest"].flatMap { try? Digest(parsing: $0) }
    }

    func putManifest(_ manifest: ManifestDocument, as reference: String, _ repository: String, _ endpoint: RegistryEndpoint) async throws {
        let subject = "manifest \(endpoint.name)/\(repository)\(reference.hasPrefix("sha256:") ? "@" : ":")\(reference)"
        let request = HTTPRequest("PUT", endpoint.url(repository, "manifests", reference), headers: [("Content-Type", manifest.mediaType)],
                                  body: manifest.bytes, timeout: session.options.timeout)
        let response = try await session.send(request, to: endpoint, scopes: ["repository:\(repository):pull,push"], subject: subject)
        session.counters.count(RegistryCounters.manifestPUT)
        guard response.status == 201 else {
            throw RegistryError.status(response, registry: endpoint.name, subject: subject, expected: "201")
        }
    }
}
