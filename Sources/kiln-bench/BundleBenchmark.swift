import Bundle
import Foundation

/// `kiln-bench bundle [--megabytes N]`: N MiB (default 1024) of generated layers in 16 images, pushed into a local
/// docker-registry and bundled back from it (`BundleCreate`, no archive), against `sha256sum` of the same layer files.
/// Prints MB/s for each and the process's peak RSS (VmHWM).
enum BundleBenchmark {
    static func run(megabytes: Int) async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-bench-bundle-\(getpid())").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let port = 25000 + Int(getpid() % 20000)
        try "version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: \(root)/registry\nhttp:\n  addr: 127.0.0.1:\(port)\n"
            .write(toFile: root + "/config.yml", atomically: true, encoding: .utf8)
        let registry = Process()
        registry.executableURL = URL(fileURLWithPath: "/usr/bin/docker-registry")
        registry.arguments = ["serve", root + "/config.yml"]
        registry.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try registry.run()
        defer { registry.terminate(); registry.waitUntilExit() }
        try await Task.sleep(for: .seconds(1))

        let layout = try OCILayout.create(at: root + "/source")
        let images = 16
        let layerSize = megabytes << 20 / images
        var block = [UInt8](repeating: 0, count: 1 << 20)
        var names: [String] = []
        var files: [String] = []
        for i in 0..<images {
            var writer = try layout.blobWriter()
            var left = layerSize
            while left > 0 {
                for j in stride(from: 0, to: block.count, by: 8) { block.withUnsafeMutableBytes { $0.storeBytes(of: UInt64.random(in: 0...UInt64.max), toByteOffset: j, as: UInt64.self) } }
                try writer.append(Array(block.prefix(left)))
                left -= min(left, block.count)
            }
            let layer = try writer.commit()
            files.append(layout.blobPath(layer.digest))
            let config = try layout.write(blob: Array(#"{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["\#(layer.digest)"]}}"#.utf8))
            let manifest = try layout.write(blob: Array(#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"\#(config.digest)","size":\#(config.size)},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"\#(layer.digest)","size":\#(layer.size)}]}"#.utf8))
            let name = "bench.example/bench/image\(i):1"
            try layout.tag(OCIDescriptor(mediaType: OCIDescriptor.imageManifest, digest: manifest.digest, size: manifest.size),
                           as: try ImageReference(parsing: name), original: name)
            names.append("127.0.0.1:\(port)/bench/image\(i):1")
        }
        let total = Double(layerSize * images)
        func mbps(_ seconds: Double) -> String { String(format: "%.0f MB/s", total / 1e6 / seconds) }
        let clock = ContinuousClock()
        func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }

        var start = clock.now
        let sum = Process()
        sum.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        sum.arguments = files
        sum.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        try sum.run()
        sum.waitUntilExit()
        let sha = seconds(clock.now - start)

        start = clock.now
        let push = try await ImagePusher(session: RegistrySession(), layout: layout, target: try PushTarget(parsing: "127.0.0.1:\(port)"),
                                         concurrency: 4).push()
        let pushed = seconds(clock.now - start)
        guard push.failures.isEmpty else { print("push failed: \(push.failures)"); exit(1) }

        let inventory = ImageInventory(version: "bench", images: try names.map {
            let r = try ImageReference(parsing: $0)
            return InventoryImage(reference: r, source: r)
        })
        var create = BundleCreate(output: root + "/bundle", kilnVersion: "bench")
        create.archive = false
        start = clock.now
        _ = try await create.run(inventory, session: RegistrySession())
        let created = seconds(clock.now - start)

        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let hwm = status.split(separator: "\n").first { $0.hasPrefix("VmHWM") }.map(String.init) ?? "VmHWM ?"
        print("bundle: \(megabytes) MiB in \(images) layers")
        print(String(format: "  sha256sum of the layers   %6.2f s  %@", sha, mbps(sha)))
        print(String(format: "  push (4 at once)          %6.2f s  %@  (%.0f%% of sha256sum)", pushed, mbps(pushed), sha / pushed * 100))
        print(String(format: "  create (pull, 4 at once)  %6.2f s  %@  (%.0f%% of sha256sum)", created, mbps(created), sha / created * 100))
        print("  peak RSS: \(hwm.replacingOccurrences(of: "VmHWM:", with: "").trimmingCharacters(in: .whitespaces))")
    }
}
