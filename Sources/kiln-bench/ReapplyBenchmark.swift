import Apply
import Config
import Foundation
import Kube
import Manifests
import TestSupport

/// Re-apply of the unchanged full platform against the test API server: kiln (in-process, the same engine as
/// `kiln apply`) against `kubectl apply --server-side` of the same rendered files, both against a server that already
/// holds the platform; with the requests each sends per object. Also the first apply with waits.
func benchmarkReapply(_ result: RenderResult, runs: Int) async {
    guard let server = try? TestAPIServer() else { return }
    defer { server.stop() }
    let work = NSTemporaryDirectory() + "kiln-bench-reapply-\(getpid())"
    try? FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: work) }
    let manager = ResourceManager(client: KubeClient(ClusterTarget(server: server.url, namespace: "default",
                                                                   http: HTTPClientSettings(), origin: "bench")))
    var options = ApplyOptions()
    options.pollInterval = 0.01
    let inventory = ApplySet(namespace: "domino-system")
    let objects = Double(result.objects.count)
    let firstStart = ContinuousClock.now
    do {
        _ = try await manager.apply(result, inventory: inventory, options: options)
    } catch {
        FileHandle.standardError.write(Data("kiln-bench: first apply failed: \(error)\n".utf8))
        return
    }
    let first = firstStart.duration(to: .now)
    print(String(format: "first apply with waits, %d objects: %7.1f ms, %.2f requests/object (writes, reads, readiness polls)",
                 result.objects.count, first.milliseconds, Double(server.requestLog.count) / objects))

    var kilnTimes: [Double] = []
    var kilnRequests = 0
    for _ in 0..<runs {
        let before = server.requestLog.count
        let start = ContinuousClock.now
        _ = try? await manager.apply(result, inventory: inventory, options: options)
        kilnTimes.append(start.duration(to: .now).milliseconds)
        kilnRequests = server.requestLog.count - before
    }
    print(String(format: "re-apply unchanged, kiln:                    %7.1f ms median of %d, %.2f requests/object",
                 median(kilnTimes), runs, Double(kilnRequests) / objects))

    // The same objects as files, as `kiln render --include-secrets` writes them, for kubectl.
    let manifests = work + "/platform.yaml"
    let text = ManifestYAML.stream(result.objects.map { object in
        var member = object
        member.labels[ApplySet.partOfLabel] = inventory.id
        return member
    })
    FileManager.default.createFile(atPath: manifests, contents: Data(text.utf8))
    let kubeconfig = work + "/kubeconfig"
    let config = """
        apiVersion: v1
        kind: Config
        current-context: bench
        clusters: [{name: bench, cluster: {server: "\(server.url)"}}]
        users: [{name: bench, user: {token: bench}}]
        contexts: [{name: bench, context: {cluster: bench, user: bench}}]
        """
    FileManager.default.createFile(atPath: kubeconfig, contents: Data(config.utf8))
    guard let kubectl = ["/usr/bin/kubectl", "/usr/local/bin/kubectl"].first(where: FileManager.default.isExecutableFile(atPath:)) else {
        print("re-apply unchanged, kubectl --server-side: kubectl not found")
        return
    }
    let arguments = ["apply", "--server-side", "--force-conflicts", "--field-manager", "kiln", "--validate=false",
                     "--kubeconfig", kubeconfig, "-f", manifests]
    let before = server.requestLog.count
    let warm = spawn(kubectl, arguments, environment: ["KUBECACHEDIR": work + "/cache"])
    guard warm == 0 else {
        print("re-apply unchanged, kubectl --server-side: failed (exit \(warm))")
        return
    }
    let kubectlRequests = server.requestLog.count - before
    let timing = timeProcess(kubectl, arguments, environment: ["KUBECACHEDIR": work + "/cache"], runs: runs)
    print(String(format: "re-apply unchanged, kubectl apply --server-side: %7.1f ms median of %d, %.2f requests/object",
                 timing.median * 1e3, runs, Double(kubectlRequests) / objects))
    print(String(format: "kiln is %.1fx faster", timing.median * 1e3 / median(kilnTimes)))
}

extension Duration {
    var milliseconds: Double { Double(components.seconds) * 1e3 + Double(components.attoseconds) / 1e15 }
}
