import Foundation
import Kube
import TestSupport
import Testing

@Suite(.serialized)
struct HTTPClientTests {
    func client(_ server: TestAPIServer, retry: RetryPolicy = RetryPolicy(attempts: 4, initialDelay: 0.05, maxDelay: 2, deadline: 10),
                timeout: Double = 5) -> HTTPClient {
        var settings = HTTPClientSettings()
        settings.retry = retry
        settings.timeout = timeout
        settings.bearerToken = "t0ken"
        return HTTPClient(settings)
    }

    @Test func getsAResponseWithHeadersAndBody() async throws {
        let server = try TestAPIServer()
        defer { server.stop() }
        let response = try await client(server).send(HTTPRequest("GET", server.url + "/api/v1"))
        #expect(response.status == 200)
        #expect(response.headers["content-type"] == "application/json")
        #expect(response.text.contains("\"kind\": \"APIResourceList\""))
        #expect(server.authorizationLog == ["Bearer t0ken"])
    }

    @Test func retriesServerErrorsAndDroppedConnections() async throws {
        let server = try TestAPIServer()
        defer { server.stop() }
        server.inject(.status(500))
        server.inject(.drop)
        server.inject(.status(503))
        let response = try await client(server).send(HTTPRequest("GET", server.url + "/api/v1"))
        #expect(response.status == 200)
        #expect(server.requestLog.count == 4)
    }

    @Test func honoursRetryAfterOn429() async throws {
        let server = try TestAPIServer()
        defer { server.stop() }
        server.inject(.status(429, retryAfter: 1))
        let clock = ContinuousClock()
        let start = clock.now
        let response = try await client(server).send(HTTPRequest("GET", server.url + "/api/v1"))
        let waited = clock.now - start
        #expect(response.status == 200)
        #expect(server.requestLog.count == 2)
        #expect(waited >= .milliseconds(900))
        // No upper bound: a wait past the 10 s deadline would end in the 429, not the 200 (and the scheduling of a
        // loaded CI machine adds seconds to any stopwatch here).
    }

    @Test func retryAfterIsCappedByTheDeadline() async throws {
        let server = try TestAPIServer()
        defer { server.stop() }
        server.inject(.status(429, retryAfter: 300), times: 10)
        let clock = ContinuousClock()
        let start = clock.now
        let response = try await client(server, retry: RetryPolicy(attempts: 10, initialDelay: 0.05, maxDelay: 30, deadline: 1.5))
            .send(HTTPRequest("GET", server.url + "/api/v1"))
        #expect(response.status == 429, "the last refusal, once the deadline passed")
        #expect(clock.now - start < .seconds(60), "bounded by the 1.5 s deadline, not the 300 s Retry-After (60: a loaded CI machine)")
        // One wait cut to the deadline; the retry at its end may land a hair before it and allow one more try.
        #expect((2...3).contains(server.requestLog.count), "\(server.requestLog.count) requests")
    }

    @Test func retriesAreBoundedInCount() async throws {
        let server = try TestAPIServer()
        defer { server.stop() }
        server.inject(.status(500), times: 10)
        let response = try await client(server).send(HTTPRequest("GET", server.url + "/api/v1"))
        #expect(response.status == 500)
        #expect(server.requestLog.count == 4)
    }

    @Test func anUnreachableServerFailsClearlyAndQuickly() async throws {
        // A port nothing listens on: take one from a server, then stop it.
        let gone = try TestAPIServer()
        let url = gone.url
        gone.stop()
        let start = Date()
        await #expect(throws: HTTPError.self) {
            _ = try await HTTPClient(HTTPClientSettings()).send(HTTPRequest("GET", url + "/api/v1"))
        }
        do {
            var settings = HTTPClientSettings()
            settings.retry = .none
            _ = try await HTTPClient(settings).send(HTTPRequest("GET", url + "/api"))
        } catch let HTTPError.unreachable(target, reason) {
            #expect(target.hasPrefix("http://127.0.0.1:"))
            #expect(reason.lowercased().contains("connect"))
        }
        #expect(Date().timeIntervalSince(start) < 35)
    }

    @Test func aSlowServerTimesOut() async throws {
        let server = try TestAPIServer()
        defer { server.stop() }
        server.inject(.delay(3))
        do {
            _ = try await client(server, retry: .none, timeout: 0.5).send(HTTPRequest("GET", server.url + "/api/v1"))
            Issue.record("expected a timeout")
        } catch let HTTPError.unreachable(_, reason) {
            #expect(reason.lowercased().contains("timed out") || reason.lowercased().contains("timeout"))
        }
    }

    @Test func goesThroughAnExplicitProxy() async throws {
        let proxy = try TestAPIServer()
        defer { proxy.stop() }
        var settings = HTTPClientSettings()
        settings.proxy = proxy.url
        settings.retry = .none
        // The target's name does not resolve: only the proxy can answer.
        let response = try await HTTPClient(settings).send(HTTPRequest("GET", "http://kube.invalid:6443/api/v1"))
        #expect(response.status == 200)
        #expect(proxy.requestLog == ["GET (proxied) /api/v1"])
    }
}
