import Foundation
@testable import Manifests
import Schema
import Testing
import YAML

/// The same config renders the same bytes, and golden files pin three examples' output. Regenerate after a
/// deliberate change with `KILN_UPDATE_GOLDEN=1 swift test`.
struct DeterminismTests {
    @Test func renderingTwiceGivesIdenticalBytes() throws {
        for example in ["eks.yaml", "gpu-newrelic.yaml", "full-control-plane.yaml"] {
            let a = ManifestYAML.stream(renderAfresh(example).objects)
            let b = ManifestYAML.stream(renderAfresh(example).objects)
            #expect(a == b)
            #expect(!a.isEmpty)
        }
    }

    /// The stream is written into one buffer: it must be each object's own text after a `---` line, in order.
    @Test func theStreamIsEachObjectsTextInTurn() {
        let objects = render("full-control-plane.yaml").objects
        #expect(objects.count > 100)
        #expect(ManifestYAML.stream(objects) == objects.map { "---\n" + ManifestYAML.text($0) }.joined())
        #expect(ManifestYAML.stream([]) == "")
    }

    /// The direct JSON-to-YAML writer says exactly what the general emitter says of the same tree, for every object
    /// of every example and for the scalars that need quoting.
    @Test func theFastWriterMatchesTheEmitter() throws {
        let examples = try FileManager.default.contentsOfDirectory(atPath: Paths.examples.path).filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(examples.count > 10)
        for example in examples {
            for object in render(example).objects {
                #expect(ManifestYAML.text(object) == YAMLEmitter().emit(ManifestYAML.node(object.json)), "\(example): \(object.identity)")
            }
        }
        let tricky: JSONValue = .object([
            ("on", .string("yes")), ("0755", .string("0755")), ("empty", .object([])), ("none", .array([])), ("n", .null),
            ("pem", .string("-----BEGIN-----\nabc\n-----END-----\n")), ("spaced", .string("line \nnext")), ("x", .number(1.5)),
            ("nested", .array([.array([.string("a")]), .object([("k", .bool(false)), ("l", .array([.number(-1)]))]), .string("#c")])),
        ])
        #expect(ManifestYAML.text(json: tricky) == YAMLEmitter().emit(ManifestYAML.node(tricky)))
        #expect(ManifestYAML.text(json: .string("top\nlevel")) == YAMLEmitter().emit(ManifestYAML.node(.string("top\nlevel"))))
    }

    /// The revision stamp digests an object without building its JSON: that must give the JSON's digest, for every
    /// object (Secrets masked as the stamp masks them), or the labels would silently change.
    @Test func anObjectsDigestIsItsJSONsDigest() {
        for example in ["eks.yaml", "full-control-plane.yaml", "gpu-newrelic.yaml"] {
            let objects = render(example).objects
            #expect(objects.contains { $0.isSecret })
            for object in objects.map(ReleaseRevision.comparable) {
                var direct = ContentDigest(), viaJSON = ContentDigest()
                direct.add(object)
                viaJSON.add(object.json)
                #expect(direct.hex == viaJSON.hex, "\(example): \(object.identity)")
            }
        }
    }

    @Test(arguments: ["on-prem.yaml", "data-plane.yaml", "offline-eks.yaml"])
    func goldenOutputIsPinned(_ example: String) throws {
        let text = ManifestYAML.stream(render(example).objects)
        let golden = Paths.golden.appendingPathComponent(example)
        if ProcessInfo.processInfo.environment["KILN_UPDATE_GOLDEN"] == "1" {
            try text.write(to: golden, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: golden, encoding: .utf8)
        #expect(text == expected, "\(example) changed; if on purpose: KILN_UPDATE_GOLDEN=1 swift test")
    }

    @Test func aRerenderWritesNothingAndRemovesWhatLeftTheConfig() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let first = try ManifestWriter.write(renderAfresh("eks.yaml"), to: dir.path, options: .init(includeSecrets: true))
        #expect(first.written > 100 && first.removed == 0)
        let again = try ManifestWriter.write(renderAfresh("eks.yaml"), to: dir.path, options: .init(includeSecrets: true))
        #expect(again.written == 0)
        #expect(again.unchanged == first.written)
        // Switching the autoscaler off removes its release directory.
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("cluster-autoscaler").path))
        let without = try ManifestWriter.write(render("eks.yaml", sets: ["autoscaler=null"]), to: dir.path, options: .init(includeSecrets: true))
        #expect(without.removed > 0)
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("cluster-autoscaler").path))
        let kustomization = try String(contentsOf: dir.appendingPathComponent("kustomization.yaml"), encoding: .utf8)
        #expect(!kustomization.contains("cluster-autoscaler"))
    }

    /// The Secrets go beside the tree, named after it, whatever way the tree's directory is written.
    @Test func theSecretsDirectoryIsNamedAfterTheTree() {
        let cwd = FileManager.default.currentDirectoryPath
        let parent = URL(fileURLWithPath: cwd).deletingLastPathComponent().path
        #expect(ManifestWriter.defaultSecretsDirectory(for: "out") == "out.secrets")
        #expect(ManifestWriter.defaultSecretsDirectory(for: "out/") == "out.secrets")
        #expect(ManifestWriter.defaultSecretsDirectory(for: "a/out//") == "a/out.secrets")
        #expect(ManifestWriter.defaultSecretsDirectory(for: "/srv/prod") == "/srv/prod.secrets")
        #expect(ManifestWriter.defaultSecretsDirectory(for: ".") == cwd + ".secrets")
        #expect(ManifestWriter.defaultSecretsDirectory(for: "./") == cwd + ".secrets")
        #expect(ManifestWriter.defaultSecretsDirectory(for: "..") == (parent == "/" ? "/.secrets" : parent + ".secrets"))
        #expect(ManifestWriter.defaultSecretsDirectory(for: "/") == "/.secrets")
    }

    /// A file that cannot be written fails the write with its path, and no temporary file is left behind.
    @Test func aFileThatCannotBeWrittenFailsTheWriteAndLeavesNoTemporaryFiles() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = render("eks.yaml")
        _ = try ManifestWriter.write(result, to: dir.path, options: .init(includeSecrets: true))
        let fm = FileManager.default
        let listed = try String(contentsOf: dir.appendingPathComponent(".kiln-files"), encoding: .utf8).split(separator: "\n")
        let victim = try #require(listed.first { $0.hasPrefix("nucleus/") }).description
        // A directory (not empty) where the file goes: the rename over it fails.
        let blocked = dir.appendingPathComponent(victim)
        try fm.removeItem(at: blocked)
        try fm.createDirectory(at: blocked, withIntermediateDirectories: false)
        try Data("x".utf8).write(to: blocked.appendingPathComponent("keep"))
        let changed = render("eks.yaml", sets: ["name=renamed"])
        #expect {
            try ManifestWriter.write(changed, to: dir.path, options: .init(includeSecrets: true))
        } throws: { error in
            "\(error)".contains(victim)
        }
        let everything = try #require(fm.subpathsOfDirectory(atPath: dir.path) as [String]?)
        #expect(!everything.contains { $0.contains(".kiln-") && $0.hasSuffix(".tmp") }, "temporary files left: \(everything)")
    }

    @Test func stringsThatReadersWouldRetypeStayQuoted() {
        let text = ManifestYAML.stream(render("eks.yaml").objects)
        #expect(text.contains("service.beta.kubernetes.io/aws-load-balancer-internal: \"false\""))
        #expect(text.contains("use-forwarded-headers: \"false\""))
        #expect(text.contains("app.kubernetes.io/version: \"6.1.2\""))
        #expect(!text.contains(": on\n") && !text.contains(": yes\n"))
    }
}
