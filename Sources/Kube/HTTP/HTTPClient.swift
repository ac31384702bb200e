import CCurl
import Foundation

/// HTTP over libcurl: TLS with a custom CA and client certificates (data or files), `insecure-skip-tls-verify`,
/// bearer tokens, an explicit proxy or HTTPS_PROXY/NO_PROXY, HTTP/2 where the server offers it, timeouts, and bounded
/// retries with backoff. Easy handles are pooled, so connections are reused across requests.
public final class HTTPClient: @unchecked Sendable {
    public let settings: HTTPClientSettings
    private let lock = NSLock()
    private var idle: [UnsafeMutableRawPointer] = []

    private static let initialised: Bool = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK

    public init(_ settings: HTTPClientSettings) {
        _ = Self.initialised
        self.settings = settings
    }

    deinit {
        for handle in idle { curl_easy_cleanup(handle) }
    }

    /// Sends `request`, retrying as the retry policy allows; runs the blocking transfer off the caller's thread.
    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try self.sendBlocking(request) })
            }
        }
    }

    public func sendBlocking(_ request: HTTPRequest) throws -> HTTPResponse {
        let policy = settings.retry
        let start = Date()
        var attempt = 1
        while true {
            let result = perform(request)
            let elapsed = Date().timeIntervalSince(start)
            let canRetry = attempt < policy.attempts && elapsed < policy.deadline
            switch result {
            case .success(let response) where response.status == 429 || (500...599).contains(response.status) && response.status != 501:
                guard canRetry else { return response }
                let wait = response.headers["retry-after"].flatMap(Double.init) ?? policy.delay(before: attempt)
                Thread.sleep(forTimeInterval: min(wait, policy.maxDelay, max(0, policy.deadline - elapsed)))
            case .success(let response):
                return response
            case .failure(let error):
                guard canRetry, case .unreachable = error else { throw error }
                Thread.sleep(forTimeInterval: min(policy.delay(before: attempt), max(0, policy.deadline - elapsed)))
            }
            attempt += 1
        }
    }

    // MARK: - One transfer

    private final class Accumulator {
        var body: [UInt8] = []
        var headers: [String: String] = [:]
    }

    private func take() -> UnsafeMutableRawPointer? {
        lock.lock()
        defer { lock.unlock() }
        if let handle = idle.popLast() {
            curl_easy_reset(handle)
            return handle
        }
        return curl_easy_init()
    }

    private func give(_ handle: UnsafeMutableRawPointer) {
        lock.lock()
        idle.append(handle)
        lock.unlock()
    }

    private func perform(_ request: HTTPRequest) -> Result<HTTPResponse, HTTPError> {
        guard let handle = take() else { return .failure(.unreachable(url: request.url, reason: "libcurl could not start")) }
        defer { give(handle) }
        let accumulator = Accumulator()
        let context = Unmanaged.passUnretained(accumulator).toOpaque()
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        var headerList: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(headerList) }

        var headers = request.headers
        if let token = settings.bearerToken { headers.append(("Authorization", "Bearer \(token)")) }
        headers.append(("User-Agent", settings.userAgent))
        headers.append(("Expect", ""))
        for (name, value) in headers { headerList = curl_slist_append(headerList, "\(name): \(value)") }

        let code: CURLcode = errorBuffer.withUnsafeMutableBufferPointer { errorPointer in
            kiln_setopt_string(handle, CURLOPT_URL, request.url)
            kiln_setopt_string(handle, CURLOPT_CUSTOMREQUEST, request.method)
            kiln_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
            kiln_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Int(settings.connectTimeout * 1000))
            kiln_setopt_long(handle, CURLOPT_TIMEOUT_MS, Int(settings.timeout * 1000))
            kiln_setopt_long(handle, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_2TLS)
            kiln_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorPointer.baseAddress)
            kiln_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList)
            if var body = request.body {
                kiln_setopt_long(handle, CURLOPT_POSTFIELDSIZE, body.count)
                body.withUnsafeMutableBytes { _ = kiln_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS, $0.baseAddress) }
            } else if request.method == "GET" {
                kiln_setopt_long(handle, CURLOPT_HTTPGET, 1)
            }
            applyTLS(handle)
            if let proxy = settings.proxy { kiln_setopt_string(handle, CURLOPT_PROXY, proxy) }
            kiln_setopt_write(handle, CURLOPT_WRITEFUNCTION) { data, size, count, context in
                let accumulator = Unmanaged<Accumulator>.fromOpaque(context!).takeUnretainedValue()
                let n = size * count
                if let data { accumulator.body.append(contentsOf: UnsafeRawBufferPointer(start: data, count: n)) }
                return n
            }
            kiln_setopt_pointer(handle, CURLOPT_WRITEDATA, context)
            kiln_setopt_write(handle, CURLOPT_HEADERFUNCTION) { data, size, count, context in
                let accumulator = Unmanaged<Accumulator>.fromOpaque(context!).takeUnretainedValue()
                let n = size * count
                if let data {
                    let line = String(decoding: UnsafeRawBufferPointer(start: data, count: n), as: UTF8.self)
                    if let colon = line.firstIndex(of: ":") {
                        let name = line[..<colon].lowercased()
                        accumulator.headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
                    }
                }
                return n
            }
            kiln_setopt_pointer(handle, CURLOPT_HEADERDATA, context)
            return curl_easy_perform(handle)
        }
        guard code == CURLE_OK else {
            let detail = errorBuffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            let reason = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
            return .failure(.unreachable(url: request.url, reason: reason))
        }
        var status = 0
        kiln_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return .success(HTTPResponse(status: status, headers: accumulator.headers, body: accumulator.body))
    }

    private func applyTLS(_ handle: UnsafeMutableRawPointer) {
        let tls = settings.tls
        if var ca = tls.caData {
            ca.withUnsafeMutableBytes { _ = kiln_setopt_blob(handle, CURLOPT_CAINFO_BLOB, $0.baseAddress, $0.count) }
        } else if let file = tls.caFile {
            kiln_setopt_string(handle, CURLOPT_CAINFO, file)
        }
        if var certificate = tls.certificateData {
            certificate.withUnsafeMutableBytes { _ = kiln_setopt_blob(handle, CURLOPT_SSLCERT_BLOB, $0.baseAddress, $0.count) }
            kiln_setopt_string(handle, CURLOPT_SSLCERTTYPE, "PEM")
        } else if let file = tls.certificateFile {
            kiln_setopt_string(handle, CURLOPT_SSLCERT, file)
        }
        if var key = tls.keyData {
            key.withUnsafeMutableBytes { _ = kiln_setopt_blob(handle, CURLOPT_SSLKEY_BLOB, $0.baseAddress, $0.count) }
            kiln_setopt_string(handle, CURLOPT_SSLKEYTYPE, "PEM")
        } else if let file = tls.keyFile {
            kiln_setopt_string(handle, CURLOPT_SSLKEY, file)
        }
        if tls.insecure {
            kiln_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 0)
            kiln_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 0)
        }
    }
}
