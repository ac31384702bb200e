@testable import Bundle
import Foundation
import Testing

/// A layout with two tiny images that share one layer, as a registry client would leave it.
struct TwoImageLayout {
    let layout: OCILayout
    let shared: Digest

    init(at path: String) throws {
        layout = try OCILayout.create(at: path)
        var random = SystemRandomNumberGenerator()
        let sharedLayer = (0..<300_000).map { _ in UInt8.random(in: 0...255, using: &random) }
        shared = try layout.write(blob: sharedLayer).digest
        for (name, extra) in [("quay.io/domino/one:1", "one"), ("docker.io/library/two:2", "two")] {
            let own = try layout.write(blob: Array("layer of \(extra)".utf8))
            let config = try layout.write(blob: Array(#"{"architecture":"amd64","os":"linux","x":"\#(extra)"}"#.utf8))
            let manifest = """
                {"schemaVersion":2,"mediaType":"\(OCIDescriptor.imageManifest)",\
                "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"\(config.digest)","size":\(config.size)},\
                "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"\(shared)","size":\(sharedLayer.count)},\
                {"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"\(own.digest)","size":\(own.size)}]}
                """
            let stored = try layout.write(blob: Array(manifest.utf8))
            try layout.tag(OCIDescriptor(mediaType: OCIDescriptor.imageManifest, digest: stored.digest, size: stored.size),
                           as: try ImageReference(parsing: name), original: name)
        }
    }
}

struct LayoutArchiveTests {
    @Test func aBlobSharedByTwoImagesIsStoredOnce() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let fixture = try TwoImageLayout(at: dir.path + "/oci")
        // One shared layer, and per image its own layer, config and manifest.
        #expect(try fixture.layout.blobs().count == 7)
        #expect(fixture.layout.hasBlob(fixture.shared, size: 300_000))
        let index = try fixture.layout.manifests()
        #expect(index.map { $0.annotations?[OCILayout.refNameAnnotation] } == ["docker.io/library/two:2", "quay.io/domino/one:1"])
        #expect(try fixture.layout.manifests() == OCILayout(opening: dir.path + "/oci").manifests())
        // Nothing is left beside the blobs but blobs.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path + "/oci/blobs/sha256").count == 7)
    }

    @Test func aBlobWithTheWrongDigestIsNotStored() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let layout = try OCILayout.create(at: dir.path)
        let claimed = SHA256Hasher.digest(Array("what the registry promised".utf8))
        var writer = try layout.blobWriter(expecting: claimed)
        try writer.append(Array("what arrived".utf8))
        var refused = false
        do { _ = try writer.commit() } catch is OCILayout.Failure { refused = true }
        #expect(refused)
        #expect(try layout.blobs().isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path + "/blobs/sha256").isEmpty)
    }

    @Test func theTarIsReadBySystemToolsAndItsPartsPutItBack() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let fixture = try TwoImageLayout(at: dir.path + "/oci")
        let whole = dir.path + "/whole", parted = dir.path + "/parted"
        for d in [whole, parted] { try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true) }
        let images = dir.path + "/images.json"
        try Data(#"{"1.0.0": []}"#.utf8).write(to: URL(fileURLWithPath: images))
        let one = try BundleArchive.write(layout: fixture.layout, extraFiles: ["images.json": images], version: "1.0.0", to: whole)
        #expect(one.parts.isEmpty)
        let list = try await system("/usr/bin/tar", ["-tf", one.tar], in: whole)
        #expect(list.status == 0, "\(list.output)")
        let entries = list.output.split(separator: "\n").map(String.init)
        #expect(entries.contains("oci-layout"))
        #expect(entries.contains("index.json"))
        #expect(entries.contains("images.json"))
        #expect(entries.contains("blobs/sha256/\(fixture.shared.hex)"))
        #expect(entries == entries.sorted())
        let check = try await system("/usr/bin/sha256sum", ["-c", BundleArchive.checksumName("1.0.0")], in: whole)
        #expect(check.status == 0 && check.output == "docker-images-1.0.0.tar: OK\n", "\(check.output)")
        // The same layout archives to the same bytes.
        let again = try BundleArchive.write(layout: fixture.layout, extraFiles: ["images.json": images], version: "1.0.0", to: whole)
        #expect(again.digest == one.digest)

        let split = try BundleArchive.write(layout: fixture.layout, extraFiles: ["images.json": images], version: "1.0.0", to: parted,
                                            maxPartSize: 64 * 1024)
        #expect(split.parts.count == Int((one.size + 65535) / 65536))
        #expect(split.parts.first == "docker-images-1.0.0.tar00")
        #expect(split.digest == one.digest)
        let listed = try String(contentsOfFile: parted + "/docker-images-1.0.0.parts.txt", encoding: .utf8)
        #expect(listed == split.parts.map { $0 + "\n" }.joined())
        let partsCheck = try await system("/usr/bin/sha256sum", ["-c", BundleArchive.partsChecksumName("1.0.0")], in: parted)
        #expect(partsCheck.status == 0, "\(partsCheck.output)")
        // The docs' reassembly, exactly: the shell's sorted glob, then the tar's own checksum.
        let cat = try await system("/bin/sh", ["-c", "cat docker-images-1.0.0.tar[0-9]* > docker-images-1.0.0.tar"], in: parted)
        #expect(cat.status == 0)
        #expect(FileManager.default.contents(atPath: parted + "/docker-images-1.0.0.tar") == FileManager.default.contents(atPath: whole + "/" + one.tar))
        #expect(try await system("/usr/bin/sha256sum", ["-c", BundleArchive.checksumName("1.0.0")], in: parted).status == 0)
    }

    @Test func verifyPassesAnIntactBundleAndNamesAFlippedByte() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let fixture = try TwoImageLayout(at: dir.path + "/oci")
        let summary = try BundleArchive.write(layout: fixture.layout, version: "1.0.0", to: dir.path, maxPartSize: 64 * 1024)
        let intact = try BundleVerifier.verify(dir.path)
        #expect(intact.intact, "\(intact.problems)")
        // Seven blobs in the layout, seven again inside the parts.
        #expect(intact.blobs == 14)

        // A flipped byte in a part: the part is named first.
        let part = summary.parts[1]
        try flipByte(dir.path + "/" + part, at: 1000)
        let broken = try BundleVerifier.verify(dir.path)
        #expect(!broken.intact)
        #expect(broken.firstCorrupt?.file == part)
        #expect(broken.problems.contains { $0.file == "docker-images-1.0.0.tar" })
        try flipByte(dir.path + "/" + part, at: 1000)

        // A flipped byte in a blob of the layout: the blob is named.
        let blob = fixture.layout.blobPath(fixture.shared)
        try flipByte(blob, at: 5)
        let corrupt = try BundleVerifier.verify(dir.path + "/oci")
        #expect(corrupt.firstCorrupt?.file == blob)
        #expect(corrupt.problems.count == 1)
    }

    @Test func verifyReadsATarWithoutExtractingIt() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let fixture = try TwoImageLayout(at: dir.path + "/oci")
        let summary = try BundleArchive.write(layout: fixture.layout, version: "1.0.0", to: dir.path)
        let tar = dir.path + "/" + summary.tar
        #expect(try BundleVerifier.verify(tar).intact)
        // Find the shared blob's bytes inside the tar and flip one: the tar and that blob are named, the tar first.
        let bytes = try #require(FileManager.default.contents(atPath: tar))
        let header = try #require(bytes.range(of: Data("blobs/sha256/\(fixture.shared.hex)".utf8)))
        try flipByte(tar, at: header.lowerBound + 512 + 100)
        let report = try BundleVerifier.verify(tar)
        #expect(report.problems.map(\.file) == [summary.tar, "blobs/sha256/\(fixture.shared.hex)"])
        #expect(report.problems.last?.archive == summary.tar)
    }
}
