import Foundation
import Kube

/// An image to pull: its reference, and the text the render named it by (kept in the layout for `bundle push`).
public struct PullItem: Sendable {
    public let reference: ImageReference
    public let original: String

    public init(_ reference: ImageReference, original: String? = nil) {
        self.reference = reference
        self.original = original ?? reference.description
    }
}

/// What one pulled image became in the layout.
public struct PulledImage: Sendable, Encodable {
    public let reference: String
    /// The manifest (or index) the layout names the image by: what the lock records.
    public let digest: String
    public let mediaType: String
    /// The upstream index the platform manifest was chosen from, when the tag named a multi-arch index.
    public let index: String?
    public let platforms: [String]
    /// Bytes of the image's blobs and manifests.
    public let bytes: Int64
    /// Bytes downloaded for it now (the rest the layout had, or another image brought).
    public let transferred: Int64
}

/// Pulls images over the OCI distribution API into an OCI image layout: the tag resolved to a manifest (OCI index or
/// manifest, Docker manifest list or manifest, `Accept`ed in that order), its digest checked (computed over the bytes,
/// and against `Docker-Content-Digest` or the reference's digest); from an index the manifests of the asked platforms;
/// then config and layers streamed into the layout's blob writers, each checked against its digest, never held in
/// memory. A blob the layout has (and whose bytes hash to its name) is not fetched again, so an interrupted run resumed
/// fetches only what is missing or corrupt; a blob two images share is fetched once.
///
/// The layout names the image by what kiln keeps of it: with one platform asked, the platform's manifest (which the
/// upstream registry serves under the same digest); with several, the upstream index when they are all of its
/// platforms, else an index of just those (kiln's, with its own digest). The upstream index is stored too.
public struct ImagePuller: Sendable {
    public let session: RegistrySession
    public let layout: OCILayout
    public let platforms: [ImagePlatform]
    public let concurrency: Int
    public let events: @Sendable (TransferEvent) -> Void
    private let limiter: TransferLimiter
    private let blobs = SharedTasks<Int64>()

    public init(session: RegistrySession, layout: OCILayout, platforms: [ImagePlatform] = [.linuxAMD64], concurrency: Int = 4,
                events: @escaping @Sendable (TransferEvent) -> Void = { _ in }) {
        self.session = session
        self.layout = layout
        self.platforms = platforms.isEmpty ? [.linuxAMD64] : platforms
        self.concurrency = max(1, concurrency)
        self.events = events
        limiter = TransferLimiter(self.concurrency)
    }

    public struct Report: Sendable {
        public var images: [PulledImage] = []
        public var failures: [(image: String, error: Error)] = []
    }

    /// Pulls every image (at most `concurrency` transfers at once), tagging each in the layout. A failed image does not
    /// stop the others; it is in `failures`.
    public func pull(_ items: [PullItem]) async throws -> Report {
        let outcome = try await ImageTransfers.run(items, concurrency: concurrency, name: { $0.reference.description },
                                                   reference: { $0.reference }, events: events) { try await pull($0) }
        return Report(images: outcome.done, failures: outcome.failures)
    }

    /// Pulls one image and tags it in the layout.
    public func pull(_ item: PullItem) async throws -> PulledImage {
        let reference = item.reference
        events(TransferEvent(.imageStarted, image: reference.description))
        let endpoint = session.endpoint(reference.registry)
        let top = try await manifest(reference, reference.digest?.description ?? reference.tag ?? "latest", endpoint)
        var chosen: [(ManifestDocument, ImagePlatform?)] = []
        var tagged = top
        var index: String?
        if top.isIndex {
            try layout.write(blob: top.bytes, expecting: top.digest)
            index = top.digest.description
            let picks = top.manifests.filter { child in child.platform.map { p in platforms.contains { $0.matches(p) } } ?? false }
            guard !picks.isEmpty else {
                let offered = top.manifests.compactMap { $0.platform?.description }.filter { !$0.hasPrefix("unknown") }
                throw RegistryError(.notFound, registry: reference.registry, subject: "manifest \(reference)",
                                    reason: "no manifest for \(platforms.map(\.description).joined(separator: ", ")) in its index "
                                        + "(it has \(offered.isEmpty ? "none" : offered.joined(separator: ", ")))")
            }
            for pick in picks {
                let child = try await manifest(reference, pick.digest.description, endpoint)
                chosen.append((child, pick.platform))
            }
            if chosen.count == 1 {
                tagged = chosen[0].0
            } else if chosen.count != top.manifests.count {
                tagged = try ManifestDocument(bytes: Self.subIndex(top.mediaType, chosen), contentType: top.mediaType)
            }
        } else {
            chosen = [(top, nil)]
        }
        var total = Int64(tagged.bytes.count)
        if tagged.digest != top.digest { total += Int64(top.bytes.count) }
        var transferred: Int64 = 0
        for (manifest, _) in chosen {
            if manifest.digest != tagged.digest { total += Int64(manifest.bytes.count) }
            try layout.write(blob: manifest.bytes, expecting: manifest.digest)
            transferred += try await fetchBlobs(manifest.blobs, of: reference, endpoint)
            total += manifest.blobs.reduce(0) { $0 + $1.size }
        }
        try layout.write(blob: tagged.bytes, expecting: tagged.digest)
        var descriptor = tagged.descriptor
        if let index { descriptor.annotations = [Self.indexAnnotation: index] }
        try layout.tag(descriptor, as: reference.unpinned.tag == nil ? reference : reference.unpinned, original: item.original)
        let pulled = PulledImage(reference: reference.description, digest: tagged.digest.description, mediaType: tagged.mediaType,
                                 index: index, platforms: chosen.compactMap { $0.1?.description }, bytes: total, transferred: transferred)
        events(TransferEvent(.imageDone, image: pulled.reference, digest: pulled.digest, bytes: total, transferred: transferred))
        return pulled
    }

    /// The annotation naming the upstream index a platform manifest was chosen from.
    public static let indexAnnotation = "dev.kiln.image.index"

    /// GET `/v2/<repo>/manifests/<tag|digest>`, the digest checked.
    func manifest(_ reference: ImageReference, _ tagOrDigest: String, _ endpoint: RegistryEndpoint) async throws -> ManifestDocument {
        let subject = "manifest \(reference.name)\(tagOrDigest.hasPrefix("sha256:") ? "@" : ":")\(tagOrDigest)"
        if let digest = try? Digest(parsing: tagOrDigest), layout.hasBlob(digest),
           let bytes = FileManager.default.contents(atPath: layout.blobPath(digest)).map(Array.init),
           SHA256Hasher.digest(bytes) == digest {
            return try ManifestDocument(bytes: bytes, contentType: nil)
        }
        let request = HTTPRequest("GET", endpoint.url(reference.repository, "manifests", tagOrDigest),
                                  headers: [("Accept", ManifestDocument.acceptedTypes.joined(separator: ", "))], timeout: session.options.timeout)
        let response = try await session.send(request, to: endpoint, scopes: ["repository:\(reference.repository):pull"], subject: subject)
        session.counters.count(RegistryCounters.manifestGET)
        guard response.status == 200 else {
            throw RegistryError.status(response, registry: endpoint.name, subject: subject, expected: "200")
        }
        let document: ManifestDocument
        do { document = try ManifestDocument(bytes: response.body, contentType: response.headers["content-type"]) } catch {
            throw RegistryError(.failed, registry: endpoint.name, subject: subject, reason: "\(error)")
        }
        let expected = (try? Digest(parsing: tagOrDigest)) ?? response.headers["docker-content-digest"].flatMap { try? Digest(parsing: $0) }
        if let expected, expected != document.digest {
            throw RegistryError(.digestMismatch, registry: endpoint.name, subject: subject,
                                reason: "the registry sent bytes with digest \(document.digest), not \(expected)")
        }
        return document
    }

    /// Config and layers, at most `concurrency` at once across all images; returns the bytes downloaded.
    func fetchBlobs(_ children: [ManifestDocument.Child], of reference: ImageReference, _ endpoint: RegistryEndpoint) async throws -> Int64 {
        try await withThrowingTaskGroup(of: Int64.self) { group in
            for child in children {
                group.addTask {
                    let (fetched, first) = try await blobs.run(child.digest.description) {
                        try await fetchBlob(child, of: reference, endpoint)
                    }
                    return first ? fetched : 0
                }
            }
            return try await group.reduce(0, +)
        }
    }

    /// Whether the stored blob hashes to its name (a corrupt one is removed, to be fetched again).
    func intact(_ child: ManifestDocument.Child) -> Bool {
        guard layout.hasBlob(child.digest, size: child.size) else { return false }
        if (try? SHA256Hasher.digest(ofFile: layout.blobPath(child.digest)).digest) == child.digest { return true }
        unlink(layout.blobPath(child.digest))
        return false
    }

    /// One blob streamed into the layout; a transfer broken mid-body is started again (up to three times).
    func fetchBlob(_ child: ManifestDocument.Child, of reference: ImageReference, _ endpoint: RegistryEndpoint) async throws -> Int64 {
        if intact(child) {
            events(TransferEvent(.blobDone, image: reference.description, digest: child.digest.description, bytes: child.size, transferred: 0))
            return 0
        }
        let subject = "blob \(child.digest) of \(reference.name)"
        var attempt = 1
        while true {
            do {
                let n = try await limiter.run { try await download(child, subject, reference, endpoint) }
                events(TransferEvent(.blobDone, image: reference.description, digest: child.digest.description, bytes: child.size, transferred: n))
                return n
            } catch let error as RegistryError where error.kind == .unreachable && attempt < 3 {
                attempt += 1
                try await Task.sleep(for: .milliseconds(500 * attempt))
            }
        }
    }

    /// Streams one blob into the layout, continuing an interrupted download of it (`Range: bytes=N-`, answered 206)
    /// when its partial file is there; returns the bytes received. A server that ignores the range (200) sends the
    /// whole blob, which replaces the partial one; a partial file that does not lead to the digest is dropped and the
    /// blob fetched whole, once.
    private func download(_ child: ManifestDocument.Child, _ subject: String, _ reference: ImageReference,
                          _ endpoint: RegistryEndpoint, resume: Bool = true) async throws -> Int64 {
        var writer = try layout.blobWriter(expecting: child.digest, resumable: resume)
        if writer.bytesWritten >= child.size { try writer.restart() }
        let offset = writer.bytesWritten
        let headers = offset > 0 ? [("Range", "bytes=\(offset)-")] : []
        let request = HTTPRequest("GET", endpoint.url(reference.repository, "blobs", child.digest.description), headers: headers, timeout: 0)
        session.counters.count(RegistryCounters.blobGET)
        let (head, body) = try await session.stream(request, to: endpoint, scopes: ["repository:\(reference.repository):pull"], subject: subject)
        switch head.status {
        case 200:
            if offset > 0 { try writer.restart() }
        case 206 where offset > 0 && Self.rangeStart(head.headers["content-range"]) == offset:
            break
        case 206, 416:
            // A range the server could not serve as asked: start the blob again, whole.
            try writer.restart()
            return try await download(child, subject, reference, endpoint, resume: false)
        default:
            throw RegistryError.status(HTTPResponse(status: head.status, headers: head.headers, body: []), registry: endpoint.name,
                                       subject: subject, expected: "200")
        }
        do {
            for try await chunk in body {
                try writer.append(chunk)
                session.counters.received(chunk.count)
                if writer.bytesWritten > child.size {
                    try writer.restart()
                    throw RegistryError(.digestMismatch, registry: endpoint.name, subject: subject,
                                        reason: "the registry sent more than the \(child.size) bytes the manifest says")
                }
            }
        } catch let error as RegistryError {
            throw error
        } catch {
            throw RegistryError.transport(error, registry: endpoint.name, subject: subject)
        }
        let received = writer.bytesWritten - writer.resumedFrom
        let resumed = writer.resumedFrom > 0
        do { _ = try writer.commit() } catch {
            if resumed { return received + (try await download(child, subject, reference, endpoint, resume: false)) }
            throw RegistryError(.digestMismatch, registry: endpoint.name, subject: subject, reason: "\(error)")
        }
        return received
    }

    /// START of a `Content-Range: bytes START-END/TOTAL`.
    static func rangeStart(_ header: String?) -> Int64? {
        guard let header, header.hasPrefix("bytes ") else { return nil }
        return Int64(header.dropFirst(6).prefix { $0.isNumber })
    }

    /// An index of the chosen platform manifests only.
    static func subIndex(_ mediaType: String, _ chosen: [(ManifestDocument, ImagePlatform?)]) -> [UInt8] {
        struct Entry: Encodable { let mediaType: String; let digest: String; let size: Int; let platform: ImagePlatform? }
        struct Index: Encodable { let schemaVersion = 2; let mediaType: String; let manifests: [Entry] }
        let index = Index(mediaType: mediaType, manifests: chosen.map {
            Entry(mediaType: $0.0.mediaType, digest: $0.0.digest.description, size: $0.0.bytes.count, platform: $0.1)
        })
        return Array(BundleJSON.text(index).utf8)
    }
}
