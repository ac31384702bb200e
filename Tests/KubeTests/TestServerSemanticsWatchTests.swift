import Foundation
import Kube
import Schema
import TestSupport
import Testing

/// Watches as the API server serves them (https://kubernetes.io/docs/reference/using-api/api-concepts/#efficient-detection-of-changes,
/// KEP-956 watch bookmarks): chunked newline-delimited events in resourceVersion order, 410 Gone for a
/// resourceVersion older than the retained history.
@Suite(.serialized)
struct TestServerSemanticsWatchTests {
    static let configMaps = "/api/v1/namespaces/apps/configmaps"

    func configMap(_ value: String) -> JSONValue {
        .object([("apiVersion", .string("v1")), ("kind", .string("ConfigMap")),
                 ("metadata", .object([("name", .string("settings")), ("namespace", .string("apps")), ("labels", .object([("app", .string("web"))]))])),
                 ("data", .object([("mode", .string(value))]))])
    }

    @Test func aWatchReplaysAddedModifiedDeletedInOrderAfterItsResourceVersion() async throws {
        let cluster = try SemanticsCluster()
        defer { cluster.stop() }
        let start = cluster.server.resourceVersion
        _ = try await cluster.kube.apply(configMap("a"))
        _ = try await cluster.kube.apply(configMap("b"))
        try await cluster.kube.delete(ObjectReference(apiVersion: "v1", kind: "ConfigMap", namespace: "apps", name: "settings"))
        let events = try await cluster.watch(Self.configMaps + "?watch=1&resourceVersion=\(start)&timeoutSeconds=1")
        #expect(events.compactMap { $0["type"]?.stringValue } == ["ADDED", "MODIFIED", "DELETED"])
        let versions = events.compactMap { Int($0["object"]?["metadata"]?["resourceVersion"]?.stringValue ?? "") }
        #expect(versions == versions.sorted() && Set(versions).count == 3)
        #expect(events[1]["object"]?["data"]?["mode"] == .string("b"))
    }

    /// Without a resourceVersion a watch starts with the current objects (ADDED), then streams changes as they happen.
    @Test func aWatchStreamsChangesAsTheyHappenFilteredByLabels() async throws {
        let cluster = try SemanticsCluster()
        defer { cluster.stop() }
        _ = try await cluster.kube.apply(configMap("a"))
        // The change goes in once the server has the watch (on a loaded 2-core machine a fixed sleep was sometimes too
        // short, and `b` arrived in the initial list as ADDED).
        async let streamed = cluster.watch(Self.configMaps + "?watch=true&labelSelector=app%3Dweb&timeoutSeconds=5")
        #expect(await eventually { cluster.server.requestLog.contains { $0.contains("watch=true") } })
        try await Task.sleep(nanoseconds: 200_000_000)
        _ = try await cluster.kube.apply(configMap("b"))
        let other = JSONValue.object([("apiVersion", .string("v1")), ("kind", .string("ConfigMap")),
                                      ("metadata", .object([("name", .string("unlabelled")), ("namespace", .string("apps"))]))])
        _ = try await cluster.kube.apply(other)
        let events = try await streamed
        #expect(events.compactMap { $0["type"]?.stringValue } == ["ADDED", "MODIFIED"])
    }

    @Test func bookmarksCarryTheCurrentResourceVersion() async throws {
        let cluster = try SemanticsCluster()
        defer { cluster.stop() }
        _ = try await cluster.kube.apply(configMap("a"))
        let now = cluster.server.resourceVersion
        let events = try await cluster.watch(Self.configMaps + "?watch=1&resourceVersion=\(now)&allowWatchBookmarks=true&timeoutSeconds=1")
        let bookmarks = events.filter { $0["type"] == .string("BOOKMARK") }
        #expect(!bookmarks.isEmpty)
        #expect(bookmarks.allSatisfy { $0["object"]?["metadata"]?["resourceVersion"] == .string("\(now)") })
        #expect(bookmarks.first?["object"]?["kind"] == .string("ConfigMap"))
    }

    /// After compaction, a watch from an older resourceVersion gets one ERROR event with a 410 Expired Status: the
    /// client must list again and watch from the list's resourceVersion.
    @Test func aWatchFromBeforeCompactionIsGone() async throws {
        let cluster = try SemanticsCluster()
        defer { cluster.stop() }
        let start = cluster.server.resourceVersion
        _ = try await cluster.kube.apply(configMap("a"))
        cluster.server.compact()
        let events = try await cluster.watch(Self.configMaps + "?watch=1&resourceVersion=\(start)&timeoutSeconds=1")
        #expect(events.count == 1)
        #expect(events.first?["type"] == .string("ERROR"))
        #expect(events.first?["object"]?["code"] == .number(410))
        #expect(events.first?["object"]?["reason"] == .string("Expired"))
        let list = try await cluster.send("GET", Self.configMaps)
        #expect(list.json?["metadata"]?["resourceVersion"] == .string("\(cluster.server.resourceVersion)"))
    }

    @Test func aWatchEndsWhenTheServerStops() async throws {
        let cluster = try SemanticsCluster()
        let started = Date()
        async let events = cluster.watch(Self.configMaps + "?watch=1&timeoutSeconds=30")
        try await Task.sleep(nanoseconds: 200_000_000)
        cluster.stop()
        _ = try? await events
        #expect(Date().timeIntervalSince(started) < 5)
    }
}
