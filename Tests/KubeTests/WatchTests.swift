import Foundation
import Kube
import Schema
import Testing

/// Watch and the informer against a scripted server with real API server semantics: chunked JSON lines, bookmarks,
/// 410 Gone as an ERROR event or as the HTTP status, dropped connections.
@Suite(.serialized)
struct WatchTests {
    @Test func aWatchStreamsTypedEventsFromTheResourceVersion() async throws {
        let server = try ScriptedServer { request in
            if request.path == "/api/v1" { return ScriptedAPI.coreDiscovery }
            return .chunked(200, headers: [("Content-Type", "application/json")],
                            [ScriptedAPI.event("ADDED", "a", rv: "11"), ScriptedAPI.bookmark(rv: "12"), ScriptedAPI.event("DELETED", "a", rv: "13")])
        }
        defer { server.stop() }
        let events = try await ScriptedAPI.client(server.url).watch(apiVersion: "v1", kind: "ConfigMap", namespace: "apps",
                                                                     labelSelector: "tier=front", resourceVersion: "10")
        var seen: [String] = []
        for try await event in events { seen.append("\(event.type.rawValue) \(event.resourceVersion ?? "")") }
        #expect(seen == ["ADDED 11", "BOOKMARK 12", "DELETED 13"])
        let watch = try #require(server.log.last)
        #expect(watch.path == "/api/v1/namespaces/apps/configmaps")
        #expect(watch.query == ["watch": "1", "allowWatchBookmarks": "true", "resourceVersion": "10", "labelSelector": "tier=front"])
    }

    @Test func anExpiredResourceVersionAtTheStartIsA410() async throws {
        let server = try ScriptedServer { request in
            request.path == "/api/v1" ? ScriptedAPI.coreDiscovery : ScriptedAPI.status(410, "Expired", "too old resource version: 1 (50)")
        }
        defer { server.stop() }
        do {
            _ = try await ScriptedAPI.client(server.url).watch(apiVersion: "v1", kind: "ConfigMap", namespace: "apps", resourceVersion: "1")
            Issue.record("expected 410")
        } catch let error as KubeError {
            #expect(error.status == 410)
            #expect(error.message.contains("too old resource version"))
        }
    }

    @Test func theInformerRelistsOn410AndResumesADroppedWatchFromTheLastResourceVersion() async throws {
        let lists = Counter()
        let server = try ScriptedServer { request in
            if request.path == "/api/v1" { return ScriptedAPI.coreDiscovery }
            guard request.query["watch"] == "1" else {
                switch lists.next() {
                case 1: return ScriptedAPI.configMapList(["a"], resourceVersion: "100")
                case 2: return ScriptedAPI.configMapList(["a", "b"], resourceVersion: "200")
                default: return ScriptedAPI.configMapList(["a", "b", "c"], resourceVersion: "300")
                }
            }
            switch request.query["resourceVersion"] {
            case "100": return .chunked(200, [ScriptedAPI.event("MODIFIED", "a", rv: "101"), ScriptedAPI.bookmark(rv: "105"), .drop])
            case "105": return .chunked(200, [ScriptedAPI.event("ADDED", "b", rv: "106"), ScriptedAPI.expired])
            case "200": return ScriptedAPI.status(410, "Expired", "too old resource version: 200 (250)")
            default: return .chunked(200, [ScriptedAPI.event("ADDED", "d", rv: "301"), .pause(10)])
            }
        }
        defer { server.stop() }
        let informer = ScriptedAPI.client(server.url).inform(apiVersion: "v1", kind: "ConfigMap", namespace: "apps",
                                                            retry: WatchRetry(initialDelay: 0.05, maxDelay: 0.2, attempts: 4))
        var seen: [String] = []
        for try await event in informer {
            switch event {
            case let .listed(items, rv): seen.append("listed \(items.count) at \(rv)")
            case let .changed(change): seen.append("\(change.type.rawValue) \(change.resourceVersion ?? "")")
            }
            if seen.count == 6 { break }  // ends the informer: its watch is cancelled
        }
        #expect(seen == ["listed 1 at 100", "MODIFIED 101", "ADDED 106", "listed 2 at 200", "listed 3 at 300", "ADDED 301"])
        let watches = server.log.filter { $0.query["watch"] == "1" }.map { $0.query["resourceVersion"] ?? "" }
        #expect(watches == ["100", "105", "200", "300"], "the dropped watch resumed from the bookmark's resourceVersion")
        #expect(await eventually { server.log.count == 1 + 3 + 4 })
    }

    @Test func theInformerGivesUpAfterBoundedFailures() async throws {
        let server = try ScriptedServer { request in
            if request.path == "/api/v1" { return ScriptedAPI.coreDiscovery }
            // The watch is accepted, then the connection drops before any event.
            return request.query["watch"] == "1" ? .chunked(200, [.drop]) : ScriptedAPI.configMapList([], resourceVersion: "7")
        }
        defer { server.stop() }
        let informer = ScriptedAPI.client(server.url, retry: .none).inform(apiVersion: "v1", kind: "ConfigMap", namespace: "apps",
                                                                           retry: WatchRetry(initialDelay: 0.02, maxDelay: 0.05, attempts: 3))
        let clock = ContinuousClock()
        let start = clock.now
        await #expect(throws: HTTPError.self) { for try await _ in informer {} }
        #expect(clock.now - start < .seconds(60), "bounded (generous: a loaded 2-core machine)")
        #expect(server.log.filter { $0.query["watch"] == "1" }.count == 3)
    }
}

/// A thread-safe count, for scripted servers.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func next() -> Int { lock.withLock { value += 1; return value } }
    var count: Int { lock.withLock { value } }
}
