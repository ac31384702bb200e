@testable import Bundle
import Config
import Foundation
import Testing

/// The CLI over a bundle the library made from a local registry; the render's names against the push's; the kiln image.
@Suite(.serialized) struct BundleCommandTests {
    static let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static var kiln: String { package.appendingPathComponent(".build/debug/kiln").path }

    @Test func pushedNamesAreWhatTheOfflineRenderPulls() throws {
        let config = exampleConfig("eks.yaml", sets: ["offline.image_registry=registry.example.com:5000/mirror"])
        let inventory = try ImageInventory.of(config)
        let target = try PushTarget(parsing: "registry.example.com:5000/mirror")
        #expect(inventory.images.count > 20)
        for image in inventory.images {
            #expect(try target.reference(for: image.sourceText) == image.reference, "\(image.sourceText)")
        }
        #expect(PushTarget.rewrite("nginx:1.27", registry: "r:5000") == "r:5000/nginx:1.27")
        // The kiln image lands where `kiln bootstrap --image-registry` runs the operator from (OperatorImageTests).
        #expect(try PushTarget(parsing: "registry.airgap.example:5000").reference(for: KilnImage.reference(version: KilnVersion.current).description)
                .description == "registry.airgap.example:5000/kiln/kiln:\(KilnVersion.current)")
    }

    @Test func bundlePushFromTheTarAndArgumentErrors() async throws {
        let source = try LocalRegistry()
        defer { source.stop() }
        let mirror = try LocalRegistry()
        defer { mirror.stop() }
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let fixtures = try FixtureImages(at: dir.path + "/fixtures")
        let shared = try fixtures.randomBlob(5000)
        try fixtures.image("quay.io/domino/app:6.1.2", layers: [shared, try fixtures.randomBlob(5000)])
        try fixtures.image("quay.io/domino/tool:6.1.2", layers: [shared])
        _ = try await ImagePusher(session: RegistrySession(), layout: fixtures.layout, target: try PushTarget(parsing: source.address)).push()
        let inventory = ImageInventory(version: "6.1.2", images: try ["domino/app:6.1.2", "domino/tool:6.1.2"].map {
            let reference = try ImageReference(parsing: "\(source.address)/\($0)")
            return InventoryImage(reference: reference, source: reference)
        })
        var create = BundleCreate(output: dir.path + "/bundle", kilnVersion: KilnVersion.current)
        create.kilnBinary = Self.kiln
        let summary = try await create.run(inventory, session: RegistrySession())
        let kilnImage = try #require(summary.kilnImage)
        #expect(kilnImage.hasPrefix("quay.io/kiln/kiln:\(KilnVersion.current)@sha256:"))

        let tar = dir.path + "/bundle/" + BundleArchive.tarName("6.1.2")
        let pushed = try await system(Self.kiln, ["bundle", "push", tar, "http://\(mirror.address)/offline", "--format", "json"], in: dir.path)
        #expect(pushed.status == 0, "\(pushed.output)")
        let lines = pushed.output.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        let done = lines.filter { $0["event"] as? String == "image-done" }.compactMap { $0["image"] as? String }.sorted()
        #expect(done == ["\(mirror.address)/offline/\(source.address)/domino/app:6.1.2".replacingOccurrences(of: "\(source.address)/", with: ""),
                         "\(mirror.address)/offline/domino/tool:6.1.2", "\(mirror.address)/offline/kiln/kiln:\(KilnVersion.current)"])
        // app: config and 2 layers; tool: config (its one layer is app's, mounted); kiln: config and layer.
        #expect(lines.last?["uploaded"] as? Int == 6)
        #expect(lines.last?["mounted"] as? Int == 1)
        // No temporary extraction left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path + "/bundle").allSatisfy { !$0.hasPrefix(".kiln-push") })

        // Again, from the directory: nothing to send.
        let again = try await system(Self.kiln, ["bundle", "push", dir.path + "/bundle", mirror.address + "/offline"], in: dir.path)
        #expect(again.status == 0, "\(again.output)")
        #expect(again.output.contains("3 images pushed to \(mirror.address)/offline: 0 B uploaded"), "\(again.output)")

        let refused = try await system(Self.kiln, ["bundle", "push", dir.path + "/bundle", "127.0.0.1:\(try LocalRegistry.freePort())"], in: dir.path)
        #expect(refused.status == 3, "\(refused.output)")
        #expect(refused.output.contains("registry unreachable"))
        let badPlatform = try await system(Self.kiln, ["bundle", "create", "x.yaml", "-o", "out", "--platform", "linux"], in: dir.path)
        #expect(badPlatform.status == 2 && badPlatform.output.contains("`linux` is not a platform"), "\(badPlatform.output)")
    }

    @Test func theKilnImageHoldsTheBinaryItsLibrariesAndCertificates() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let layout = try OCILayout.create(at: dir.path + "/oci")
        let descriptor = try KilnImage.write(into: layout, binary: Self.kiln, version: "0.1.0")
        let manifest = try ManifestDocument(bytes: Array(FileManager.default.contents(atPath: layout.blobPath(try Digest(parsing: descriptor.digest)))!),
                                            contentType: nil)
        let config = try JSONSerialization.jsonObject(with: FileManager.default.contents(atPath: layout.blobPath(manifest.config!.digest))!) as! [String: Any]
        let inner = try #require(config["config"] as? [String: Any])
        #expect(inner["Entrypoint"] as? [String] == ["/usr/local/bin/kiln"])
        #expect(config["os"] as? String == "linux" && config["architecture"] as? String == "amd64")
        let layer = try #require(manifest.layers.first)
        let root = dir.path + "/root"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let untar = try await system("/usr/bin/tar", ["-xf", layout.blobPath(layer.digest), "-C", root], in: dir.path)
        #expect(untar.status == 0, "\(untar.output)")
        #expect(FileManager.default.isExecutableFile(atPath: root + "/usr/local/bin/kiln"))
        #expect(FileManager.default.fileExists(atPath: root + "/etc/ssl/certs/ca-certificates.crt"))
        #expect(FileManager.default.fileExists(atPath: root + "/usr/local/lib/kiln/libcurl.so.4"))
        #expect(FileManager.default.fileExists(atPath: root + "/lib64/ld-linux-x86-64.so.2"))
        // The image's own loader and libraries run its binary, nothing from the host's library path.
        let run = try await system(root + "/lib64/ld-linux-x86-64.so.2", ["--inhibit-cache", "--library-path", root + "/usr/local/lib/kiln",
                                                                      root + "/usr/local/bin/kiln", "version"], in: dir.path)
        #expect(run.status == 0 && run.output.contains("0.1.0"), "\(run.output)")
        // libcurl is loaded when kiln first speaks HTTP: from the image's libraries too (a refused connection, exit 3,
        // not "cannot load libcurl").
        let port = try LocalRegistry.freePort()
        let kubeconfig = dir.path + "/kubeconfig"
        try Data("""
            apiVersion: v1
            kind: Config
            clusters: [{name: c, cluster: {server: "http://127.0.0.1:\(port)"}}]
            users: [{name: u, user: {token: t}}]
            contexts: [{name: x, context: {cluster: c, user: u}}]
            current-context: x

            """.utf8).write(to: URL(fileURLWithPath: kubeconfig))
        let http = try await system(root + "/lib64/ld-linux-x86-64.so.2", ["--inhibit-cache", "--library-path", root + "/usr/local/lib/kiln",
                                                                       root + "/usr/local/bin/kiln", "status", "--kubeconfig", kubeconfig],
                              in: dir.path)
        #expect(http.status == 3 && http.output.contains("cannot reach http://127.0.0.1:\(port)"), "\(http.output)")
    }
}
