@testable import Bundle
import Foundation
import Kube
import Testing

/// Pull and push against Debian's docker-registry, started by each test on 127.0.0.1.
@Suite(.serialized) struct RegistryRoundTripTests {
    /// Fixtures: two images sharing a layer (in two repositories) and a two-platform index, pushed with the production
    /// push code.
    struct Pushed {
        let fixtures: FixtureImages
        let app: Digest, tool: Digest
        let multi: (index: Digest, amd64: Digest, arm64: Digest)
        let report: ImagePusher.Report
        let session: RegistrySession
    }

    func pushFixtures(to registry: LocalRegistry, in dir: TemporaryDirectory, credentials: RegistryCredentials = RegistryCredentials(),
                      layerSize: Int = 4096, chunkSize: Int64? = nil) async throws -> Pushed {
        let fixtures = try FixtureImages(at: dir.path + "/fixtures")
        let shared = try fixtures.randomBlob(layerSize)
        let app = try fixtures.image("example.com/team/app:1.0", layers: [shared, try fixtures.randomBlob(layerSize)])
        let tool = try fixtures.image("example.com/team/tool:2.0", layers: [shared, try fixtures.randomBlob(layerSize)])
        let multi = try fixtures.multiArch("example.com/team/multi:3.0", shared: shared)
        let session = RegistrySession(credentials: credentials)
        let pusher = ImagePusher(session: session, layout: fixtures.layout, target: try PushTarget(parsing: registry.address), concurrency: 4,
                                  chunkSize: chunkSize)
        let report = try await pusher.push()
        return Pushed(fixtures: fixtures, app: app, tool: tool, multi: multi, report: report, session: session)
    }

    func inventory(_ registry: LocalRegistry, _ names: [String]) throws -> ImageInventory {
        ImageInventory(version: "6.1.2", images: try names.map {
            let reference = try ImageReference(parsing: "\(registry.address)/\($0)")
            return InventoryImage(reference: reference, source: reference)
        })
    }

    @Test func sharedBlobsAreUploadedOnceMountedElsewhereAndPulledBackEqual() async throws {
        let registry = try LocalRegistry()
        defer { registry.stop() }
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let pushed = try await pushFixtures(to: registry, in: dir)
        #expect(pushed.report.failures.isEmpty, "\(pushed.report.failures)")
        #expect(pushed.report.images.map(\.reference) == ["\(registry.address)/team/app:1.0", "\(registry.address)/team/multi:3.0",
                                                          "\(registry.address)/team/tool:2.0"])
        // 1 shared layer + 2 own layers + 2 configs (app, tool) + multi's 2 layers and 2 configs: each uploaded once;
        // the shared layer went up once and was mounted into the two other repositories.
        #expect(pushed.session.counters[RegistryCounters.blobUpload] == 9)
        #expect(pushed.session.counters[RegistryCounters.blobMount] == 2)
        // Every blob stored once in the registry: the layout's blobs (manifests are blobs to the registry too).
        #expect(registry.storedBlobs == (try pushed.fixtures.layout.blobs().count))

        // A second push sends nothing: every tag already names its digest.
        let again = try await ImagePusher(session: RegistrySession(), layout: pushed.fixtures.layout,
                                          target: try PushTarget(parsing: registry.address)).push()
        #expect(again.images.allSatisfy { $0.transferred == 0 && $0.uploaded == 0 })

        // bundle create from the registry: tags resolved, amd64 chosen from the index, the archive checksummed.
        let out = dir.path + "/bundle"
        var create = BundleCreate(output: out, kilnVersion: "0.1.0")
        create.maxPartSize = 8192
        let session = RegistrySession()
        let summary = try await create.run(try inventory(registry, ["team/app:1.0", "team/tool:2.0", "team/multi:3.0"]), session: session)
        #expect(summary.images == 3)
        let lock = try ImageLock.read(out + "/" + ImageLock.fileName)
        #expect(lock.digest(for: try ImageReference(parsing: "\(registry.address)/team/app:1.0")) == pushed.app)
        #expect(lock.digest(for: try ImageReference(parsing: "\(registry.address)/team/tool:2.0")) == pushed.tool)
        #expect(lock.digest(for: try ImageReference(parsing: "\(registry.address)/team/multi:3.0")) == pushed.multi.amd64)
        // The shared layer came down once.
        let layers = 5 + 2 + 1  // app, tool, multi-amd64: configs 3, own layers 3 (+1 shared), i.e. 7 blobs; +1 below
        #expect(session.counters[RegistryCounters.blobGET] == layers - 1)
        let parts = try #require(summary.archive?.parts)
        #expect(parts.count > 1)
        let check = try await system("/usr/bin/sha256sum", ["-c", BundleArchive.partsChecksumName("6.1.2")], in: out)
        #expect(check.status == 0, "\(check.output)")
        #expect(try BundleVerifier.verify(out).intact)

        // A corrupted part is caught, and named.
        try flipByte(out + "/" + parts[0], at: 700)
        let report = try BundleVerifier.verify(out)
        #expect(report.firstCorrupt?.file == parts[0])

        // A re-run fetches nothing: every blob is there and intact.
        let rerun = RegistrySession()
        _ = try await create.run(try inventory(registry, ["team/app:1.0", "team/tool:2.0", "team/multi:3.0"]), session: rerun)
        #expect(rerun.counters[RegistryCounters.blobGET] == 0)
        #expect(try BundleVerifier.verify(out).intact)
    }

    /// A chunked upload (`--chunk-size`): PATCHes with Content-Range, then the closing PUT; the registry has the same
    /// bytes (pulled back by digest, checked).
    @Test func aChunkedPushStoresTheSameBlobs() async throws {
        let registry = try LocalRegistry()
        defer { registry.stop() }
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let pushed = try await pushFixtures(to: registry, in: dir, layerSize: 10_000, chunkSize: 4096)
        #expect(pushed.report.failures.isEmpty, "\(pushed.report.failures)")
        // Three 10,000-byte layers uploaded (the shared one once, then mounted; app's and tool's own) of 3 chunks
        // each; configs and the index's 3,000-byte layers are below a chunk: one PUT each.
        #expect(pushed.session.counters[RegistryCounters.blobChunk] == 3 * 3)
        #expect(registry.storedBlobs == (try pushed.fixtures.layout.blobs().count))
        let layout = try OCILayout.create(at: dir.path + "/back")
        let back = try await ImagePuller(session: RegistrySession(), layout: layout)
            .pull(PullItem(try ImageReference(parsing: "\(registry.address)/team/app:1.0")))
        #expect(back.digest == pushed.app.description)
        #expect(try BundleVerifier.verify(dir.path + "/back").intact, "every blob pulled back matches its digest")
    }

    /// A blob whose download broke off continues from where it stopped (`Range`, 206 from docker-registry); a partial
    /// file that does not lead to the digest is dropped and the blob fetched whole.
    @Test func anInterruptedBlobDownloadContinuesWhereItStopped() async throws {
        let registry = try LocalRegistry()
        defer { registry.stop() }
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let fixtures = try FixtureImages(at: dir.path + "/fixtures")
        let layer = try fixtures.randomBlob(300_000)
        try fixtures.image("example.com/resume/big:1", layers: [layer])
        _ = try await ImagePusher(session: RegistrySession(), layout: fixtures.layout, target: try PushTarget(parsing: registry.address)).push()
        let bytes = Array(FileManager.default.contents(atPath: fixtures.layout.blobPath(layer.0))!)
        let reference = try ImageReference(parsing: "\(registry.address)/resume/big:1")
        // A pull from nothing: the layer and the config.
        let fresh = RegistrySession()
        _ = try await ImagePuller(session: fresh, layout: try OCILayout.create(at: dir.path + "/fresh")).pull(PullItem(reference))
        let config = fresh.counters.bytesReceived - 300_000

        for (name, partial) in [("good", Array(bytes[..<200_000])), ("corrupt", [UInt8](repeating: 7, count: 200_000))] {
            let layout = try OCILayout.create(at: dir.path + "/" + name)
            // What an interrupted create leaves: the first 200,000 bytes (or, corrupt, bytes that are not the blob's).
            let partialPath = BlobWriter.partialPath(layout.blobDirectory, layer.0)
            #expect(FileManager.default.createFile(atPath: partialPath, contents: Data(partial)))
            let session = RegistrySession()
            _ = try await ImagePuller(session: session, layout: layout).pull(PullItem(reference))
            #expect(try SHA256Hasher.digest(ofFile: layout.blobPath(layer.0)).digest == layer.0, "\(name): the blob is whole")
            #expect(!FileManager.default.fileExists(atPath: partialPath), "\(name): the partial file is gone")
            let layerReceived = session.counters.bytesReceived - config
            if name == "good" {
                #expect(layerReceived == 100_000, "only the missing 100,000 bytes came down, not \(layerReceived)")
            } else {
                #expect(layerReceived == 100_000 + 300_000, "the rest, then the whole blob again: \(layerReceived)")
            }
        }
    }

    @Test func platformsFromAnIndex() async throws {
        let registry = try LocalRegistry()
        defer { registry.stop() }
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let pushed = try await pushFixtures(to: registry, in: dir)
        let reference = try ImageReference(parsing: "\(registry.address)/team/multi:3.0")
        func pull(_ platforms: [String], into name: String) async throws -> PulledImage {
            let layout = try OCILayout.create(at: dir.path + "/" + name)
            return try await ImagePuller(session: RegistrySession(), layout: layout, platforms: try platforms.map(ImagePlatform.init(parsing:)))
                .pull(PullItem(reference))
        }
        #expect(try await pull(["linux/arm64"], into: "arm").digest == pushed.multi.arm64.description)
        let both = try await pull(["linux/amd64", "linux/arm64"], into: "both")
        #expect(both.digest == pushed.multi.index.description)
        #expect(try BundleVerifier.verify(dir.path + "/both").intact)
        await #expect {
            _ = try await pull(["linux/s390x"], into: "none")
        } throws: { error in
            "\(error)".contains("no manifest for linux/s390x in its index (it has linux/amd64, linux/arm64/v8)")
        }
        await #expect {
            _ = try await ImagePuller(session: RegistrySession(), layout: try OCILayout.create(at: dir.path + "/x"))
                .pull(PullItem(try ImageReference(parsing: "\(registry.address)/team/app:9.9")))
        } throws: { error in
            (error as? RegistryError)?.kind == .notFound && "\(error)".contains("tag not found in registry")
        }
    }

    @Test func anInterruptedCreateResumesWithOnlyTheMissingBlobs() async throws {
        let registry = try LocalRegistry()
        defer { registry.stop() }
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let fixtures = try FixtureImages(at: dir.path + "/fixtures")
        var names: [String] = []
        for i in 0..<6 {
            try fixtures.image("example.com/resume/image\(i):1", layers: [try fixtures.randomBlob(200_000), try fixtures.randomBlob(200_000)])
            names.append("resume/image\(i):1")
        }
        _ = try await ImagePusher(session: RegistrySession(), layout: fixtures.layout, target: try PushTarget(parsing: registry.address)).push()
        let inventory = try inventory(registry, names)
        var create = BundleCreate(output: dir.path + "/bundle", kilnVersion: "0.1.0")
        create.concurrency = 1
        create.archive = false
        let done = Counter()
        let first = RegistrySession()
        let task = Task { [create] in
            try await create.run(inventory, session: first) { event in
                if event.event == .blobDone { done.add() }
            }
        }
        while done.value < 5 { try await Task.sleep(for: .milliseconds(5)) }
        task.cancel()
        _ = await task.result
        let fetchedBefore = try OCILayout(opening: dir.path + "/bundle/oci").blobs().count
        #expect(fetchedBefore < 6 * 4)
        let second = RegistrySession()
        _ = try await create.run(inventory, session: second)
        // 18 blobs (6 configs, 12 layers) and 6 manifests in all; the second run fetched only the blobs the first did
        // not finish.
        let stored = try OCILayout(opening: dir.path + "/bundle/oci").blobs()
        #expect(stored.count == 6 * 4)
        let firstGETs = first.counters[RegistryCounters.blobGET]
        #expect(second.counters[RegistryCounters.blobGET] < 18)
        #expect(second.counters[RegistryCounters.blobGET] >= 18 - firstGETs)
        #expect(try BundleVerifier.verify(dir.path + "/bundle").intact)
    }

    @Test func anAuthRegistryRefusesWithoutCredentialsAndTakesThePushWithThem() async throws {
        let plain = try LocalRegistry()
        defer { plain.stop() }
        let secured = try LocalRegistry(login: ("kiln", "s3cret"))
        defer { secured.stop() }
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let pushed = try await pushFixtures(to: plain, in: dir)
        let target = try PushTarget(parsing: secured.address + "/mirror")

        let anonymous = try await ImagePusher(session: RegistrySession(), layout: pushed.fixtures.layout, target: target).push()
        #expect(anonymous.images.isEmpty && anonymous.failures.count == 3)
        let reason = "\(anonymous.failures[0].error)"
        #expect(reason.contains("requires credentials and none are configured for \(secured.address)"), "\(reason)")

        let wrong = RegistryCredentials([secured.address: RegistryLogin(username: "kiln", password: "nope")])
        let refused = try await ImagePusher(session: RegistrySession(credentials: wrong), layout: pushed.fixtures.layout, target: target).push()
        #expect(refused.failures.count == 3)
        #expect("\(refused.failures[0].error)".contains("credentials refused"))

        // Logins from a docker config.json, as `docker login` writes them.
        let auth = Data("kiln:s3cret".utf8).base64EncodedString()
        try #"{"auths": {"http://\#(secured.address)": {"auth": "\#(auth)"}}}"#.write(toFile: dir.path + "/config.json", atomically: true, encoding: .utf8)
        let logins = try RegistryCredentials.dockerConfig(dir.path + "/config.json")
        let session = RegistrySession(credentials: logins)
        let report = try await ImagePusher(session: session, layout: pushed.fixtures.layout, target: target).push()
        #expect(report.failures.isEmpty, "\(report.failures)")
        let app = try #require(report.images.first { $0.source.hasSuffix("team/app:1.0") })
        #expect(app.reference == "\(secured.address)/mirror/team/app:1.0")

        // Pulled back by digest: the same bytes.
        let back = try OCILayout.create(at: dir.path + "/back")
        let pulled = try await ImagePuller(session: RegistrySession(credentials: logins), layout: back)
            .pull(PullItem(try ImageReference(parsing: "\(secured.address)/mirror/team/app@\(pushed.app)")))
        #expect(pulled.digest == pushed.app.description)
        #expect(try BundleVerifier.verify(back.path).intact)
    }

    @Test func anUnreachableRegistryIsSaidSo() async throws {
        let port = try LocalRegistry.freePort()
        var options = RegistryOptions()
        options.retry = .none
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let layout = try OCILayout.create(at: dir.path)
        await #expect {
            _ = try await ImagePuller(session: RegistrySession(options: options), layout: layout)
                .pull(PullItem(try ImageReference(parsing: "127.0.0.1:\(port)/x/y:1")))
        } throws: { error in
            (error as? RegistryError)?.isUnreachable == true && "\(error)".contains("registry unreachable")
        }
    }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}
