import Apply
import Config
import Foundation
import Kube
import Manifests
import TestSupport

/// Applies the full rendered platform to the test API server (127.0.0.1, every object healthy at once) with
/// concurrency 1 and the default, waiting for every wave as `kiln apply` does, and prints objects/s. What it
/// measures is kiln's side (render, JSON, HTTP, waits) plus a simple server: against a real cluster the API
/// server's latency and the controllers' rollouts dominate.
func benchmarkApply(_ configText: String, runs: Int) async {
    let file = NSTemporaryDirectory() + "kiln-bench-apply-\(getpid()).yaml"
    guard FileManager.default.createFile(atPath: file, contents: Data(configText.utf8)) else { return }
    defer { try? FileManager.default.removeItem(atPath: file) }
    guard let root = ConfigLoader.load(ConfigRequest(path: file)).root else { return }
    let result = PlatformRenderer.render(ConfigView(root), secrets: SecretValues(variable: { _ in "x" }, readFile: { _ in "x" }))
    for concurrency in [1, ApplyOptions().concurrency] {
        var rates: [Double] = []
        for _ in 0..<runs {
            guard let server = try? TestAPIServer() else { return }
            defer { server.stop() }
            var options = ApplyOptions()
            options.concurrency = concurrency
            options.pollInterval = 0.01
            let manager = ResourceManager(client: KubeClient(ClusterTarget(server: server.url, namespace: "default",
                                                                           http: HTTPClientSettings(), origin: "bench")))
            let start = Date()
            do {
                _ = try await manager.apply(result, inventory: ApplySet(namespace: "domino-system"), options: options)
            } catch {
                FileHandle.standardError.write(Data("kiln-bench: apply failed: \(error)\n".utf8))
                return
            }
            rates.append(Double(result.objects.count) / Date().timeIntervalSince(start))
        }
        print(String(format: "apply %d objects to the test API server, concurrency %d (median of %d): %6.0f objects/s",
                     result.objects.count, concurrency, runs, median(rates)))
    }
}
