import Foundation
import Kube

/// One blob into one repository, as the distribution spec's push goes: `HEAD` first (present: nothing to do); a
/// cross-repository mount from a repository this push already put it in (`POST …/blobs/uploads/?mount=<digest>&from=<repo>`,
/// `201` when the registry mounted it; a `202` is an upload session to use instead); else an upload session (`POST`)
/// and the file streamed to it: one `PUT <location>?digest=` for the whole blob, or with a chunk size, `PATCH`es with
/// `Content-Range` (each chunk read into memory, so memory is chunk size × concurrency) and a closing `PUT`.
struct BlobUploader: Sendable {
    let session: RegistrySession
    let endpoint: RegistryEndpoint
    let chunkSize: Int64?

    enum Outcome: Sendable, Equatable { case present, mounted, uploaded }

    func push(_ digest: Digest, size: Int64, file: String, to repository: String, mountFrom: String?) async throws -> Outcome {
        let subject = "blob \(digest) to \(endpoint.name)/\(repository)"
        let scopes = ["repository:\(repository):pull,push"]
        let head = try await session.head(endpoint.url(repository, "blobs", digest.description), to: endpoint, scopes: scopes, subject: subject)
        if head.status == 200 {
            session.counters.count(RegistryCounters.blobPresent)
            return .present
        }
        guard head.status == 404 else {
            throw RegistryError.status(HTTPResponse(status: head.status, headers: head.headers, body: []), registry: endpoint.name,
                                       subject: subject, expected: "200 or 404")
        }
        var start = "\(endpoint.baseURL)/v2/\(repository)/blobs/uploads/"
        var startScopes = scopes
        if let from = mountFrom, from != repository {
            start += "?mount=\(digest)&from=\(from)"
            startScopes.append("repository:\(from):pull")
        }
        let opened = try await session.send(HTTPRequest("POST", start, headers: [("Content-Length", "0")], timeout: session.options.timeout),
                                            to: endpoint, scopes: startScopes, subject: subject)
        if opened.status == 201, mountFrom != nil {
            session.counters.count(RegistryCounters.blobMount)
            return .mounted
        }
        guard opened.status == 202, let location = opened.headers["location"] else {
            throw RegistryError.status(opened, registry: endpoint.name, subject: subject, expected: "202 with a Location")
        }
        session.counters.count(RegistryCounters.blobUpload)
        var url = endpoint.resolve(location: location)
        if let chunkSize, size > chunkSize {
            url = try await patchChunks(file, size: size, chunk: chunkSize, url: url, scopes: scopes, subject: subject)
            let done = try await session.send(HTTPRequest("PUT", Self.with(url, digest: digest), headers: [("Content-Length", "0")],
                                                          timeout: session.options.timeout), to: endpoint, scopes: scopes, subject: subject)
            guard done.status == 201 else { throw RegistryError.status(done, registry: endpoint.name, subject: subject, expected: "201") }
        } else {
            let put = HTTPRequest("PUT", Self.with(url, digest: digest), headers: [("Content-Type", "application/octet-stream")],
                                  bodyFile: file, timeout: 0)
            let done = try await session.send(put, to: endpoint, scopes: scopes, subject: subject)
            guard done.status == 201 else { throw RegistryError.status(done, registry: endpoint.name, subject: subject, expected: "201") }
        }
        session.counters.sent(size)
        return .uploaded
    }

    /// `PATCH` each chunk with its `Content-Range`; returns the location to close the upload at.
    private func patchChunks(_ file: String, size: Int64, chunk: Int64, url start: String, scopes: [String], subject: String) async throws -> String {
        guard let handle = FileHandle(forReadingAtPath: file) else {
            throw RegistryError(.failed, registry: endpoint.name, subject: subject, reason: "cannot read \(file)")
        }
        defer { try? handle.close() }
        var url = start
        var offset: Int64 = 0
        while offset < size {
            let count = Int(min(chunk, size - offset))
            let bytes = [UInt8](handle.readData(ofLength: count))
            guard bytes.count == count else {
                throw RegistryError(.failed, registry: endpoint.name, subject: subject, reason: "\(file) is shorter than its \(size) bytes")
            }
            let request = HTTPRequest("PATCH", url, headers: [("Content-Type", "application/octet-stream"),
                                                              ("Content-Range", "\(offset)-\(offset + Int64(count) - 1)")],
                                      body: bytes, timeout: 0)
            session.counters.count(RegistryCounters.blobChunk)
            let response = try await session.send(request, to: endpoint, scopes: scopes, subject: subject)
            guard response.status == 202, let location = response.headers["location"] else {
                throw RegistryError.status(response, registry: endpoint.name, subject: subject, expected: "202 for a chunk")
            }
            url = endpoint.resolve(location: location)
            offset += Int64(count)
        }
        return url
    }

    /// The upload URL with `digest=` added to its query.
    static func with(_ url: String, digest: Digest) -> String {
        url + (url.contains("?") ? "&" : "?") + "digest=" + digest.description.replacingOccurrences(of: ":", with: "%3A")
    }
}
