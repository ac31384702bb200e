import Foundation
import Testing

struct ImagesBundleCommandTests {
    let example = KilnBinary.package.appendingPathComponent("examples/eks.yaml").path

    func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-images-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func imagesAsJSONListsEachImageOnceWithItsUses() async throws {
        // No secret variables: the inventory needs none.
        let r = try await KilnBinary.run(["images", example, "--format", "json"], unset: ["QUAY_PASSWORD", "SMTP_PASSWORD"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(json["version"] as? String == "6.1.2")
        let images = try #require(json["images"] as? [[String: Any]])
        let names = images.compactMap { $0["name"] as? String }
        #expect(names == names.sorted() && Set(names).count == names.count)
        #expect(names.contains("quay.io/domino/nucleus:6.1.2"))
        #expect(names.contains("quay.io/domino/executor:6.1.2"))
        let executor = try #require(images.first { $0["name"] as? String == "quay.io/domino/executor:6.1.2" })
        let uses = try #require(executor["uses"] as? [[String: String]])
        #expect(uses.contains { $0["object"] == "ConfigMap/domino-compute/domino-execution-images" && $0["field"] == "data executor" })
    }

    @Test func imagesJSONAndPinningFromALock() async throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let listed = try await KilnBinary.run(["images", example, "--images-json", "images.json"], in: dir)
        #expect(listed.status == 0, "\(listed.stderr)")
        let imagesJSON = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("images.json")))
            as? [String: [[String: String]]])
        let names = try #require(imagesJSON["6.1.2"]).compactMap { $0["name"] }
        #expect(names.contains("quay.io/domino/nucleus:6.1.2"))

        // A lock with a made-up digest for every image but the executor.
        let digest = "sha256:" + String(repeating: "0123456789abcdef", count: 4)
        func lock(_ names: [String]) throws -> Data {
            try JSONSerialization.data(withJSONObject: ["version": 1, "images": names.map { ["name": $0, "digest": digest] }])
        }
        try lock(names).write(to: dir.appendingPathComponent("full.json"))
        try lock(names.filter { $0 != "quay.io/domino/executor:6.1.2" }).write(to: dir.appendingPathComponent("short.json"))
        let env = ["QUAY_PASSWORD": "q", "SMTP_PASSWORD": "s"]
        let pinned = try await KilnBinary.run(["render", example, "--layout", "stream", "--pin-digests", "full.json"], in: dir, environment: env)
        #expect(pinned.status == 0, "\(pinned.stderr)")
        #expect(pinned.stdout.contains("image: quay.io/domino/nucleus@\(digest)"))
        #expect(pinned.stdout.contains("executor: quay.io/domino/executor@\(digest)"))
        #expect(!pinned.stdout.contains("quay.io/domino/nucleus:6.1.2"))

        let refused = try await KilnBinary.run(["render", example, "-o", "out", "--pin-digests", "short.json"], in: dir, environment: env)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("quay.io/domino/executor:6.1.2 is not in short.json"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out").path))

        try Data(#"{"version": 1, "images": [{"name": "quay.io/x/y:1"}]}"#.utf8).write(to: dir.appendingPathComponent("bad.json"))
        let bad = try await KilnBinary.run(["images", example, "--lock", "bad.json"], in: dir)
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("bad.json: images[0] (quay.io/x/y:1) has no digest"))
    }

    @Test func bundleVerifyNamesACorruptBlob() async throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // A one-blob layout, made by hand (the blob named by the system's sha256sum).
        let blobs = dir.appendingPathComponent("blobs/sha256")
        try FileManager.default.createDirectory(at: blobs, withIntermediateDirectories: true)
        try Data(#"{"imageLayoutVersion": "1.0.0"}"#.utf8).write(to: dir.appendingPathComponent("oci-layout"))
        try Data(#"{"schemaVersion": 2, "manifests": []}"#.utf8).write(to: dir.appendingPathComponent("index.json"))
        let content = Data("a layer".utf8)
        let scratch = dir.appendingPathComponent("scratch")
        try content.write(to: scratch)
        let sum = Process()
        sum.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        sum.arguments = [scratch.path]
        let pipe = Pipe()
        sum.standardOutput = pipe
        try sum.run()
        let hex = String(String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).prefix(64))
        sum.waitUntilExit()
        try FileManager.default.moveItem(at: scratch, to: blobs.appendingPathComponent(hex))

        let ok = try await KilnBinary.run(["bundle", "verify", dir.path, "--format", "json"])
        #expect(ok.status == 0, "\(ok.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(ok.stdout.utf8)) as? [String: Any])
        #expect(report["intact"] as? Bool == true)
        #expect(report["blobs"] as? Int == 1)

        try Data("a layer!".utf8).write(to: blobs.appendingPathComponent(hex))
        let corrupt = try await KilnBinary.run(["bundle", "verify", dir.path])
        #expect(corrupt.status == 1)
        #expect(corrupt.stderr.contains("corrupt: \(blobs.appendingPathComponent(hex).path)"))

        let missing = try await KilnBinary.run(["bundle", "verify", dir.appendingPathComponent("nothing").path])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no such file or directory"))
    }
}
