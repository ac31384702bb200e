@testable import Bundle
import Foundation

/// A registry endpoint on 127.0.0.1 that speaks the docker token flow (distribution's own token auth needs
/// certificates): requests without a valid `Bearer` token get `401` with
/// `WWW-Authenticate: Bearer realm="<this>/token",service="fake-registry",scope="repository:<repo>:pull"`; `/token`
/// checks Basic credentials and issues a token that expires after `uses` requests; the manifests and blobs are read
/// from a fixtures layout (GET only).
final class TokenRegistry: @unchecked Sendable {
    let layout: OCILayout
    let login: (user: String, password: String)
    let uses: Int
    private let listener: Int32
    private(set) var port: UInt16 = 0
    private let lock = NSLock()
    private var tokens: [String: Int] = [:]
    private var issued = 0
    private(set) var tokenRequests: [String] = []
    private(set) var challenges = 0

    var address: String { "127.0.0.1:\(port)" }

    init(layout: OCILayout, login: (String, String), uses: Int) throws {
        self.layout = layout
        self.login = login
        self.uses = uses
        listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        listen(listener, 16)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = getsockname(listener, $0, &length) }
        }
        port = UInt16(bigEndian: address.sin_port)
        Thread { [self] in
            while true {
                let client = accept(listener, nil, nil)
                guard client >= 0 else { return }
                Thread { [self] in serve(client) }.start()
            }
        }.start()
    }

    func stop() { shutdown(listener, Int32(SHUT_RDWR)); close(listener) }

    var log: (tokens: [String], challenges: Int) { lock.withLock { (tokenRequests, challenges) } }

    private func serve(_ fd: Int32) {
        defer { close(fd) }
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            while !buffer.ends(with: Array("\r\n\r\n".utf8)) {
                let n = recv(fd, &chunk, chunk.count, 0)
                guard n > 0 else { return }
                buffer += chunk[..<n]
            }
            let lines = String(decoding: buffer, as: UTF8.self).components(separatedBy: "\r\n")
            buffer = []
            let parts = lines[0].split(separator: " ")
            guard parts.count >= 2 else { return }
            var headers: [String: String] = [:]
            for line in lines.dropFirst() {
                guard let colon = line.firstIndex(of: ":") else { continue }
                headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            let (status, extra, body) = answer(String(parts[0]), String(parts[1]), headers)
            var head = "HTTP/1.1 \(status) X\r\nContent-Length: \(body.count)\r\n"
            for (name, value) in extra { head += "\(name): \(value)\r\n" }
            let bytes = Array((head + "\r\n").utf8) + (parts[0] == "HEAD" ? [] : body)
            var offset = 0
            while offset < bytes.count {
                let n = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                guard n > 0 else { return }
                offset += n
            }
        }
    }

    private func answer(_ method: String, _ target: String, _ headers: [String: String]) -> (Int, [(String, String)], [UInt8]) {
        let path = String(target.split(separator: "?", maxSplits: 1)[0])
        if path == "/token" {
            let expected = "Basic " + Data("\(login.user):\(login.password)".utf8).base64EncodedString()
            return lock.withLock {
                tokenRequests.append(target.removingPercentEncoding ?? target)
                guard headers["authorization"] == expected else { return (401, [], Array(#"{"details":"bad credentials"}"#.utf8)) }
                issued += 1
                let token = "token-\(issued)"
                tokens[token] = uses
                // Docker Hub answers with both names; quay.io with `token` only.
                return (200, [("Content-Type", "application/json")], Array(#"{"token":"\#(token)","access_token":"\#(token)"}"#.utf8))
            }
        }
        // /v2/<repo>/<manifests|blobs>/<reference>
        let components = path.split(separator: "/").map(String.init)
        let repository = components.count >= 4 ? components[1..<(components.count - 2)].joined(separator: "/") : ""
        let authorized: Bool = lock.withLock {
            guard let value = headers["authorization"], value.hasPrefix("Bearer "), let left = tokens[String(value.dropFirst(7))], left > 0 else {
                challenges += 1
                return false
            }
            tokens[String(value.dropFirst(7))] = left - 1
            return true
        }
        guard authorized else {
            return (401, [("WWW-Authenticate", #"Bearer realm="http://\#(address)/token",service="fake-registry",scope="repository:\#(repository):pull""#)],
                    Array(#"{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}"#.utf8))
        }
        guard components.count >= 4 else { return (200, [], Array("{}".utf8)) }
        let reference = components[components.count - 1]
        var digest = try? Digest(parsing: reference)
        var mediaType = "application/octet-stream"
        if components[components.count - 2] == "manifests", digest == nil,
           let entry = (try? layout.manifests())?.first(where: { $0.annotations?[OCILayout.refNameAnnotation]?.hasSuffix("\(repository):\(reference)") ?? false }) {
            digest = try? Digest(parsing: entry.digest)
            mediaType = entry.mediaType
        }
        guard let digest, let data = FileManager.default.contents(atPath: layout.blobPath(digest)) else {
            return (404, [], Array(#"{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}"#.utf8))
        }
        return (200, [("Content-Type", mediaType), ("Docker-Content-Digest", digest.description)], Array(data))
    }
}

extension Array where Element == UInt8 {
    func ends(with suffix: [UInt8]) -> Bool { count >= suffix.count && Array(self[(count - suffix.count)...]) == suffix }
}
