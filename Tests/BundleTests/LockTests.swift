@testable import Bundle
import Testing

struct LockTests {
    let a = try! Digest(parsing: "sha256:" + String(repeating: "a", count: 64))
    let b = try! Digest(parsing: "sha256:" + String(repeating: "b", count: 64))

    @Test func aLockRoundTripsSortedAndVersioned() throws {
        var lock = ImageLock(platformVersion: "6.1.2")
        lock.set(b, for: try ImageReference(parsing: "quay.io/domino/nucleus:6.1.2"))
        lock.set(a, for: try ImageReference(parsing: "nginx:1.27"))
        let text = lock.text
        #expect(text.contains("\"version\" : 1"))
        let nginx = try #require(text.range(of: "docker.io/library/nginx:1.27"))
        let nucleus = try #require(text.range(of: "quay.io/domino/nucleus:6.1.2"))
        #expect(nginx.lowerBound < nucleus.lowerBound)
        let read = try ImageLock.parse(text)
        #expect(read == lock)
        #expect(read.text == text)
        #expect(read.digest(for: try ImageReference(parsing: "docker.io/library/nginx:1.27")) == a)
    }

    @Test func lockErrorsSayWhatIsWrong() {
        func error(_ text: String) -> String {
            do { _ = try ImageLock.parse(text, file: "k.lock.json"); return "" } catch { return "\(error)" }
        }
        #expect(error("{not json").hasPrefix("k.lock.json: not a lock file: invalid JSON"))
        #expect(error("[]").contains("not a JSON object"))
        #expect(error(#"{"images": []}"#).contains("no `version`"))
        #expect(error(#"{"version": 2, "images": []}"#).contains("format version 2"))
        #expect(error(#"{"version": 1, "images": [{"name": "quay.io/x/y:1"}]}"#) == "k.lock.json: images[0] (quay.io/x/y:1) has no digest")
        #expect(error(#"{"version": 1, "images": [{"name": "quay.io/x/y:1", "digest": "sha256:abc"}]}"#)
            .contains("`sha256:abc` is not a digest (sha256: and 64 hex digits)"))
        #expect(error(#"{"version": 1, "images": [{"name": "Bad Name", "digest": "\#(a)"}]}"#).contains("images[0]: `Bad Name` is not an image reference"))
        #expect(error(#"{"version": 1, "images": [{"name": "q.io/x:1", "digest": "\#(a)"}, {"name": "q.io/x:1", "digest": "\#(b)"}]}"#)
            .contains("listed twice"))
    }
}
