import Apply
import Config
import Foundation
import Kube
import Manifests
import Schema
import TestSupport

let fakeSecrets = SecretValues(variable: { "value-of-\($0)" }, readFile: { "file-\($0)" })

/// An example's render, computed once per run for each example and set of `--set`s (tests only read it).
func render(_ example: String, sets: [String] = []) -> RenderResult {
    renders.value(([example] + sets).joined(separator: "\u{0}")) {
        let loaded = ConfigLoader.load(ConfigRequest(path: TestFixtures.examples.appendingPathComponent(example).path, sets: sets))
        return PlatformRenderer.render(ConfigView(loaded.root ?? Instance(.object([]))), secrets: fakeSecrets)
    }
}

private let renders = Memo<RenderResult>()

/// An example's render plus a PersistentVolumeClaim `scratch` in `namespace` (a user's data the render never had).
func render(_ example: String, claimIn namespace: String) -> RenderResult {
    let result = render(example)
    let claim = CoreObjects.persistentVolumeClaim("scratch", namespace: namespace, labels: [:], storageClass: "dominodisk",
                                                  size: "10Gi", accessMode: "ReadWriteOnce", release: "nucleus")
    return RenderResult(objects: result.objects + [claim], releases: result.releases, waves: result.waves,
                        dependencies: result.dependencies, diagnostics: [])
}


func manager(_ server: TestAPIServer, events: EventLog? = nil) -> ResourceManager {
    var http = HTTPClientSettings()
    http.retry = RetryPolicy(attempts: 3, initialDelay: 0.02, maxDelay: 0.5, deadline: 5)
    let client = KubeClient(ClusterTarget(server: server.url, namespace: "default", http: http, origin: "test"))
    return ResourceManager(client: client, observe: { event in events?.record(event) })
}

func fastOptions() -> ApplyOptions {
    var options = ApplyOptions()
    options.pollInterval = 0.02
    // Generous: waits start from a wave's start, and on CI's two cores the pool may not run a poll for seconds. The
    // tests of timeouts set their own.
    options.timeout = 60
    return options
}

let inventory = ApplySet(namespace: "domino-system")

final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [ApplyEvent] = []

    func record(_ event: ApplyEvent) { lock.withLock { events.append(event) } }

    var all: [ApplyEvent] { lock.withLock { events } }

    var waveNames: [String] {
        all.compactMap { if case .waveStarted(_, _, let name, _) = $0 { return name } else { return nil } }
    }

    var applied: [(ObjectReference, ChangeKind)] {
        all.compactMap { if case .applied(let ref, let change) = $0 { return (ref, change) } else { return nil } }
    }
}
