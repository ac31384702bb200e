@testable import Bundle
import Foundation
import Testing

/// The bearer-token challenge flow, against `TokenRegistry`.
struct TokenAuthTests {
    @Test func aBearerChallengeIsAnsweredWithATokenCachedPerScopeAndRenewedWhenRefused() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let fixtures = try FixtureImages(at: dir.path + "/fixtures")
        let manifest = try fixtures.image("example.com/team/app:1.0", layers: [try fixtures.randomBlob(4000), try fixtures.randomBlob(4000)])
        // A token is good for 3 requests: the manifest and two blobs; the config's GET is refused and renewed.
        let registry = try TokenRegistry(layout: fixtures.layout, login: ("robot", "pw"), uses: 3)
        defer { registry.stop() }
        let reference = try ImageReference(parsing: "\(registry.address)/team/app:1.0")
        let logins = RegistryCredentials([registry.address: RegistryLogin(username: "robot", password: "pw")])

        var options = RegistryOptions()
        options.retry = .none
        let layout = try OCILayout.create(at: dir.path + "/pulled")
        let puller = ImagePuller(session: RegistrySession(options: options, credentials: logins), layout: layout, concurrency: 1)
        let pulled = try await puller.pull(PullItem(reference))
        #expect(pulled.digest == manifest.description)
        #expect(try BundleVerifier.verify(layout.path).intact)
        let log = registry.log
        #expect(log.tokens.count == 2, "\(log.tokens)")
        #expect(log.tokens.allSatisfy { $0.contains("service=fake-registry") && $0.contains("scope=repository:team/app:pull") })
        // One challenge to learn the flow, one when the first token ran out; every other request carried a token.
        #expect(log.challenges == 2)

        // Wrong credentials: the token service's refusal, named.
        let wrong = RegistryCredentials([registry.address: RegistryLogin(username: "robot", password: "no")])
        await #expect {
            _ = try await ImagePuller(session: RegistrySession(options: options, credentials: wrong), layout: try OCILayout.create(at: dir.path + "/w"))
                .pull(PullItem(reference))
        } throws: { error in
            (error as? RegistryError)?.kind == .unauthorized && "\(error)".contains("credentials refused by the token service")
        }
    }

    @Test func challengesParse() {
        let bearer = AuthChallenge.parse(#"Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull""#)
        #expect(bearer == AuthChallenge(scheme: .bearer, parameters: ["realm": "https://auth.docker.io/token", "service": "registry.docker.io",
                                                                      "scope": "repository:library/nginx:pull"]))
        #expect(AuthChallenge.parse(#"Basic realm="kiln-test""#)?.scheme == .basic)
        #expect(AuthChallenge.parse(#"Basic realm="x", Bearer realm="https://t/token""#)?.scheme == .bearer)
        #expect(RegistryCredentials.normalise("https://index.docker.io/v1/") == "docker.io")
        #expect(RegistryOptions().endpoint("docker.io").baseURL == "https://registry-1.docker.io")
        #expect(RegistryOptions().endpoint("127.0.0.1:5000").baseURL == "http://127.0.0.1:5000")
    }
}
