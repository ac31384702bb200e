@testable import Bundle
import Testing

struct ImageReferenceTests {
    @Test func dockerHubShortFormsAreMadeExplicit() throws {
        let short = try ImageReference(parsing: "nginx")
        #expect(short.registry == "docker.io")
        #expect(short.repository == "library/nginx")
        #expect(short.tag == nil)
        #expect(short.unpinned.description == "docker.io/library/nginx:latest")
        #expect(try ImageReference(parsing: "bitnami/redis:7.2").description == "docker.io/bitnami/redis:7.2")
        #expect(try ImageReference(parsing: "index.docker.io/library/nginx:1.27") == ImageReference(parsing: "nginx:1.27"))
    }

    @Test func registryPortTagAndDigestAreTakenApart() throws {
        let hex = String(repeating: "ab", count: 32)
        let r = try ImageReference(parsing: "registry.example.com:5000/domino/nucleus:6.1.2@sha256:\(hex)")
        #expect(r.registry == "registry.example.com:5000")
        #expect(r.repository == "domino/nucleus")
        #expect(r.tag == "6.1.2")
        #expect(r.digest?.hex == hex)
        #expect(r.description == "registry.example.com:5000/domino/nucleus:6.1.2@sha256:\(hex)")
        let port = try ImageReference(parsing: "localhost:5000/app")
        #expect(port.registry == "localhost:5000")
        #expect(port.tag == nil)
        #expect(r.unpinned.pinned(to: r.digest!).description == "registry.example.com:5000/domino/nucleus@sha256:\(hex)")
    }

    @Test func malformedReferencesAreRefused() {
        for text in ["", "Quay.io/Domino/Nucleus:1", "quay.io/domino/nucleus:bad tag", "quay.io//nucleus", "a/b@sha256:1234",
                     "quay.io/domino/nucleus@md5:0123456789abcdef0123456789abcdef", "quay.io/domino/-nucleus:1"] {
            #expect(throws: ImageReference.Invalid.self, "\(text)") { try ImageReference(parsing: text) }
        }
    }

    @Test func digestsAreSha256AndLowercaseHex() throws {
        #expect(throws: Digest.Invalid.self) { try Digest(parsing: "sha256:" + String(repeating: "A", count: 64)) }
        #expect(throws: Digest.Invalid.self) { try Digest(parsing: "sha256:abc") }
        // The SHA-256 of "abc" (FIPS 180-2's example).
        #expect(SHA256Hasher.digest(Array("abc".utf8)).hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func sizesTakeBinarySuffixes() throws {
        #expect(try ByteSize.parse("500M") == 500 * 1024 * 1024)
        #expect(try ByteSize.parse("2G") == 2 * 1024 * 1024 * 1024)
        #expect(try ByteSize.parse("1048576") == 1_048_576)
        #expect(try ByteSize.parse("1.5KiB") == 1536)
        for bad in ["", "0", "-1M", "M", "12X", "0.3"] {
            #expect(throws: ByteSize.Invalid.self, "\(bad)") { try ByteSize.parse(bad) }
        }
    }
}
