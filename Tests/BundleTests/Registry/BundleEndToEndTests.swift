@testable import Bundle
import Foundation
import Testing

/// The air-gapped flow of the private-offline page, end to end through the CLI, for a real config: every image
/// `examples/offline-eks.yaml` runs is seeded (as a tiny image under its own repository) into a local registry that
/// stands in for quay.io and docker.elastic.co (`--mirror`); `kiln bundle create` pulls them all, the reference's
/// `sha256sum -c` and `cat` steps work on the parts, `kiln bundle verify` passes, `kiln bundle push` fills a second
/// registry (the private one), and `kiln render --pin-digests` runs every image from it by digest.
@Suite(.serialized) struct BundleEndToEndTests {
    static var kiln: String { BundleCommandTests.kiln }
    /// The config reads its registry password from the environment. With KILN_E2E_TRANSCRIPT=FILE, each command
    /// and what it printed are appended to FILE (the README's sample output comes from there).
    func kiln(_ arguments: [String], in directory: String) async throws -> (status: Int32, output: String) {
        let result = try await system("/usr/bin/env", ["REGISTRY_PASSWORD=not-used-by-the-mirror", Self.kiln] + arguments, in: directory)
        if let transcript = ProcessInfo.processInfo.environment["KILN_E2E_TRANSCRIPT"],
           let handle = FileHandle(forWritingAtPath: transcript) ?? (FileManager.default.createFile(atPath: transcript, contents: nil)
                                                                       ? FileHandle(forWritingAtPath: transcript) : nil) {
            handle.seekToEndOfFile()
            handle.write(Data(("$ kiln " + arguments.joined(separator: " ") + "\n" + result.output + "(exit \(result.status))\n\n").utf8))
            handle.closeFile()
        }
        return result
    }
    static let config = BundleCommandTests.package.appendingPathComponent("examples/offline-eks.yaml").path

    @Test func aRealConfigIsBundledVerifiedPushedAndPinned() async throws {
        let upstream = try LocalRegistry()
        defer { upstream.stop() }
        let airgap = try LocalRegistry()
        defer { airgap.stop() }
        let dir = try TemporaryDirectory()
        defer { dir.remove() }

        // Seed the stand-in upstream with one tiny image per source image; all share a base layer.
        let inventory = try ImageInventory.of(exampleConfig("offline-eks.yaml"))
        let sources = Array(Set(inventory.images.map(\.sourceText))).sorted()
        #expect(sources.count > 30)
        let fixtures = try FixtureImages(at: dir.path + "/fixtures")
        let base = try fixtures.randomBlob(20_000)
        for source in sources { try fixtures.image(source, layers: [base, try fixtures.randomBlob(3000)]) }
        _ = try await ImagePusher(session: RegistrySession(), layout: fixtures.layout, target: try PushTarget(parsing: upstream.address)).push()
        let registries = Set(sources.map { $0.split(separator: "/").first.map(String.init) ?? "" }).sorted()
        let mirrors = registries.flatMap { ["--mirror", "\($0)=http://\(upstream.address)"] }

        let bundle = dir.path + "/bundle"
        let created = try await kiln(["bundle", "create", Self.config, "-o", bundle, "--max-part-size", "8M"] + mirrors, in: dir.path)
        #expect(created.status == 0, "\(created.output)")
        #expect(created.output.contains("\(sources.count) images"), "\(created.output)")
        let files = try FileManager.default.contentsOfDirectory(atPath: bundle).sorted()
        let version = inventory.version
        #expect(files.contains("docker-images-\(version).parts.txt"), "\(files)")
        #expect(files.filter { $0.hasPrefix("docker-images-\(version).tar0") }.count >= 2, "the tar is in parts: \(files)")

        // The reference's own steps on the parts.
        let steps = "sha256sum -c docker-images-\(version).parts.sha256sum && cat docker-images-\(version).tar[0-9]* > docker-images-\(version).tar"
            + " && sha256sum -c docker-images-\(version).tar.sha256sum"
        let checked = try await system("/bin/sh", ["-c", steps], in: bundle)
        #expect(checked.status == 0, "\(checked.output)")
        let verified = try await kiln(["bundle", "verify", bundle], in: dir.path)
        #expect(verified.status == 0, "\(verified.output)")

        // Run again: nothing is fetched.
        let again = try await kiln(["bundle", "create", Self.config, "-o", bundle, "--no-archive"] + mirrors, in: dir.path)
        #expect(again.status == 0 && again.output.contains("0 B downloaded"), "\(again.output)")

        let pushed = try await kiln(["bundle", "push", dir.path + "/bundle/docker-images-\(version).tar", airgap.address], in: dir.path)
        #expect(pushed.status == 0, "\(pushed.output)")

        // The render for this private registry, pinned by the bundle's lock: every image is there, by digest.
        let rendered = dir.path + "/rendered"
        let render = try await kiln(["render", Self.config, "--set", "offline.image_registry=\(airgap.address)",
                                      "--set", "offline.agent_repository=\(airgap.address)/domino/fleetcommand-agent",
                                      "--set", "helm.image_registries[0].server=\(airgap.address)",
                                            "--pin-digests", bundle + "/" + ImageLock.fileName, "-o", rendered], in: dir.path)
        #expect(render.status == 0, "\(render.output)")
        // Workloads name their images in `image:`; the images the platform starts later (executor, sidecars,
        // environments) are in its settings: every reference to the private registry is pinned, and all are there.
        let images = try pinnedReferences(to: airgap.address, under: rendered)
        #expect(images.count == sources.count, "\(images.count) distinct pinned images for \(sources.count) sources")
        #expect(pushed.output.contains("\(sources.count + 1) images pushed"), "and the kiln image: \(pushed.output)")
        let session = RegistrySession()
        for image in images.sorted() {
            #expect(image.hasPrefix(airgap.address + "/") && image.contains("@sha256:"), "\(image)")
            let reference = try ImageReference(parsing: image)
            let endpoint = session.endpoint(reference.registry)
            let head = try await session.head(endpoint.url(reference.repository, "manifests", reference.digest!.description), to: endpoint,
                                              headers: [("Accept", OCIDescriptor.imageManifest)],
                                              scopes: ["repository:\(reference.repository):pull"], subject: image)
            #expect(head.status == 200, "\(image) is in the private registry")
        }
    }

    /// Every distinct `ADDRESS/…@sha256:…` in the rendered files; fails the test on a reference to ADDRESS that is
    /// an image by tag.
    func pinnedReferences(to address: String, under root: String) throws -> Set<String> {
        var images = Set<String>()
        let pattern = try NSRegularExpression(pattern: NSRegularExpression.escapedPattern(for: address) + "/[A-Za-z0-9._/-]+(:[A-Za-z0-9._-]+)?(@sha256:[0-9a-f]{64})?")
        let walker = FileManager.default.enumerator(atPath: root)
        while let file = walker?.nextObject() as? String {
            guard file.hasSuffix(".yaml"), let text = try? String(contentsOfFile: "\(root)/\(file)", encoding: .utf8) else { continue }
            for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                let reference = String(text[Range(match.range, in: text)!])
                if reference.contains("@sha256:") { images.insert(reference) }
                else if match.range(at: 1).location != NSNotFound { Issue.record("\(file): \(reference) is not pinned") }
            }
        }
        return images
    }
}
