import CCurl
import Foundation

/// One exchange on a libcurl easy handle: the options a request and the client's settings give it, the header and
/// body callbacks, and the upload's file. Made on the caller's thread; once submitted, only the transfer loop's
/// thread touches it (except `cancelled`, which any thread may set).
final class Transfer: @unchecked Sendable {
    let handle: UnsafeMutableRawPointer
    let url: String
    let sink: TransferSink
    private let tls: TLSSettings
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private var connectTo: UnsafeMutablePointer<curl_slist>?
    let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
    private var upload: Int32 = -1

    // Response state, on the loop's thread.
    private var status = 0
    private var version = "1.1"
    private var headers: [String: String] = [:]
    private(set) var headDelivered = false
    /// Set when the sink left bytes unread: the loop resumes the transfer when the sink asks.
    var paused = false

    private let cancelLock = NSLock()
    private var cancelFlag = false
    var cancelled: Bool {
        get { cancelLock.withLock { cancelFlag } }
        set { cancelLock.withLock { cancelFlag = newValue } }
    }

    init(_ request: HTTPRequest, settings: HTTPClientSettings, credential: HTTPCredential?, sink: TransferSink,
         defaultTimeout: Double) throws {
        guard let handle = kiln_curl_easy_init() else {
            throw HTTPError.unreachable(url: request.url, reason: kiln_curl_load() == 0 ? "libcurl could not start" : String(cString: kiln_curl_load_error()))
        }
        self.handle = handle
        url = request.url
        self.sink = sink
        errorBuffer[0] = 0
        var tls = settings.tls
        if let certificate = credential?.certificate { tls.certificateData = certificate; tls.certificateFile = nil }
        if let key = credential?.key { tls.keyData = key; tls.keyFile = nil }
        self.tls = tls

        var headers = request.headers
        if let token = credential?.token ?? settings.bearerToken { headers.append(("Authorization", "Bearer \(token)")) }
        headers.append(("User-Agent", settings.userAgent))
        headers.append(("Expect", ""))
        var target = request.url
        if let name = tls.serverName, let mapped = ServerNameMapping(url: request.url, serverName: name) {
            // libcurl has no SNI override: ask for the URL under the certificate's name and connect to the real host,
            // so SNI and verification use the name while Host keeps the address the kubeconfig gave.
            target = mapped.url
            connectTo = kiln_curl_slist_append(nil, mapped.connectTo)
            headers.append(("Host", mapped.host))
        }
        for (name, value) in headers { headerList = kiln_curl_slist_append(headerList, "\(name): \(value)") }

        kiln_setopt_string(handle, CURLOPT_URL, target)
        kiln_setopt_string(handle, CURLOPT_CUSTOMREQUEST, request.method)
        kiln_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        // KILN_CURL_VERBOSE=1: libcurl's own trace on stderr, for debugging a transport problem.
        if ProcessInfo.processInfo.environment["KILN_CURL_VERBOSE"] == "1" { kiln_setopt_long(handle, CURLOPT_VERBOSE, 1) }
        kiln_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Int(settings.connectTimeout * 1000))
        kiln_setopt_long(handle, CURLOPT_TIMEOUT_MS, Int((request.timeout ?? defaultTimeout) * 1000))
        kiln_setopt_long(handle, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_2TLS)
        // Over TLS (where ALPN says at the handshake whether HTTP/2 multiplexes), wait for a connection that may
        // rather than open another one beside it. Cleartext is HTTP/1.1 here: waiting would only delay.
        if target.hasPrefix("https:") { kiln_setopt_long(handle, CURLOPT_PIPEWAIT, 1) }
        kiln_setopt_long(handle, CURLOPT_SUPPRESS_CONNECT_HEADERS, 1)
        kiln_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer)
        kiln_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList)
        if let connectTo { kiln_setopt_slist(handle, CURLOPT_CONNECT_TO, connectTo) }
        if let proxy = settings.proxy { kiln_setopt_string(handle, CURLOPT_PROXY, proxy) }
        applyTLS()
        let context = Unmanaged.passUnretained(self).toOpaque()
        if let file = request.bodyFile {
            try openUpload(file)
            kiln_setopt_long(handle, CURLOPT_UPLOAD, 1)
            kiln_setopt_write(handle, CURLOPT_READFUNCTION) { buffer, size, count, context in
                let transfer = Unmanaged<Transfer>.fromOpaque(context!).takeUnretainedValue()
                let n = read(transfer.upload, buffer, size * count)
                return n < 0 ? kiln_readfunc_abort() : n
            }
            kiln_setopt_pointer(handle, CURLOPT_READDATA, context)
        } else if var body = request.body {
            kiln_setopt_long(handle, CURLOPT_POSTFIELDSIZE, body.count)
            body.withUnsafeMutableBytes { _ = kiln_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS, $0.baseAddress) }
        } else if request.method == "GET" {
            kiln_setopt_long(handle, CURLOPT_HTTPGET, 1)
        } else if request.method == "HEAD" {
            // The answer to a HEAD announces a body (Content-Length) that never comes: without NOBODY libcurl waits
            // for it until the timeout.
            kiln_setopt_long(handle, CURLOPT_NOBODY, 1)
        }
        kiln_setopt_write(handle, CURLOPT_WRITEFUNCTION) { data, size, count, context in
            let transfer = Unmanaged<Transfer>.fromOpaque(context!).takeUnretainedValue()
            return transfer.received(UnsafeRawBufferPointer(start: data, count: size * count))
        }
        kiln_setopt_pointer(handle, CURLOPT_WRITEDATA, context)
        kiln_setopt_write(handle, CURLOPT_HEADERFUNCTION) { data, size, count, context in
            let transfer = Unmanaged<Transfer>.fromOpaque(context!).takeUnretainedValue()
            transfer.header(String(decoding: UnsafeRawBufferPointer(start: data, count: size * count), as: UTF8.self))
            return size * count
        }
        kiln_setopt_pointer(handle, CURLOPT_HEADERDATA, context)
    }

    private var released = false

    /// Frees the easy handle. The loop calls it on its own thread right after removing the handle from the multi
    /// handle: libcurl handles are not to be used from two threads at once, and the task that the sink wakes could
    /// otherwise free it (through deinit) while the loop is inside libcurl.
    func release() {
        guard !released else { return }
        released = true
        kiln_curl_easy_cleanup(handle)
    }

    deinit {
        release()
        kiln_curl_slist_free_all(headerList)
        kiln_curl_slist_free_all(connectTo)
        errorBuffer.deallocate()
        if upload >= 0 { close(upload) }
    }

    /// Low-speed abort for long transfers without an overall timeout: less than 1 byte/s for `seconds` ends them.
    func abortWhenStalled(for seconds: Double) {
        kiln_setopt_long(handle, CURLOPT_LOW_SPEED_LIMIT, 1)
        kiln_setopt_long(handle, CURLOPT_LOW_SPEED_TIME, max(1, Int(seconds)))
    }

    private func openUpload(_ path: String) throws {
        upload = open(path, O_RDONLY)
        var info = stat()
        guard upload >= 0, fstat(upload, &info) == 0 else {
            throw HTTPError.file(path: path, reason: "cannot read the body to upload: \(String(cString: strerror(errno)))")
        }
        kiln_setopt_off(handle, CURLOPT_INFILESIZE_LARGE, curl_off_t(info.st_size))
    }

    private func applyTLS() {
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

    // MARK: Callbacks (the loop's thread)

    /// A status line starts a response (interim 1xx ones are dropped); the blank line after a final one ends its head.
    private func header(_ line: String) {
        let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("HTTP/") {
            let parts = trimmed.split(separator: " ", maxSplits: 2)
            status = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
            version = String(parts[0].dropFirst(5))
            headers = [:]
        } else if trimmed.isEmpty {
            if status >= 200, !headDelivered {
                headDelivered = true
                sink.head(HTTPResponseHead(status: status, headers: headers, version: version))
            }
        } else if let colon = trimmed.firstIndex(of: ":") {
            headers[trimmed[..<colon].lowercased()] = trimmed[trimmed.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
    }

    private func received(_ bytes: UnsafeRawBufferPointer) -> Int {
        switch sink.write(bytes) {
        case .taken: return bytes.count
        case .abort: return 0
        case .later:
            paused = true
            return kiln_writefunc_pause()
        }
    }

    /// The error a finished transfer's libcurl code stands for, nil for success.
    func failure(_ code: CURLcode) -> Error? {
        if code == CURLE_OK { return nil }
        if cancelled { return CancellationError() }
        let detail = String(cString: errorBuffer)
        let reason = detail.isEmpty ? String(cString: kiln_curl_easy_strerror(code)) : detail
        if code == CURLE_PEER_FAILED_VERIFICATION {
            return HTTPError.untrusted(url: url, ca: tls.trustDescription, reason: reason)
        }
        return HTTPError.unreachable(url: url, reason: reason)
    }
}
