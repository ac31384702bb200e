import Foundation
import Schema

/// A Kubernetes API server for tests: real HTTP/1.1 on 127.0.0.1 (keep-alive), discovery documents, server-side apply
/// with field ownership (create, update, dry run, 409 conflicts naming the other manager, `force`), get, list with
/// label selectors, delete, status that tests script, and fault injection (errors, throttling, delays, dropped
/// connections). No Kubernetes API server can run on these machines; kiln's production code talks to this one
/// exactly as it would to a real one.
public final class TestAPIServer: @unchecked Sendable {
    public enum Fault {
        case status(Int, retryAfter: Int? = nil)
        case delay(Double)
        case drop
    }

    /// Serve HTTPS with this certificate; with `clientCA`, require client certificates it signed.
    public struct TLSFiles: Sendable {
        public var certificate: String
        public var key: String
        public var clientCA: String?

        public init(certificate: String, key: String, clientCA: String? = nil) {
            self.certificate = certificate
            self.key = key
            self.clientCA = clientCA
        }
    }

    public private(set) var port: UInt16 = 0
    private let listener: Int32
    private let tls: TLSEndpoint?
    private var subjects: [String] = []
    /// The client certificate subject of every TLS connection (`/CN=kiln-admin`).
    public var clientSubjects: [String] { lock.withLock { subjects } }
    private let lock = NSLock()
    private var store: [String: JSONValue] = [:]
    /// object key → manager → owned leaf paths (keys joined by `sep`: label keys hold dots).
    private var owners: [String: [String: Set<String>]] = [:]
    private var faults: [Fault] = []
    private var counter = 0
    private(set) var log: [String] = []
    private var authorizations: [String] = []
    private var inFlight = 0
    /// The most requests the server was answering at once (tests of parallel apply read it).
    public private(set) var maxInFlight = 0
    private var gets: [String: Int] = [:]
    /// Objects report the status a healthy cluster gives them unless `statusScript` says otherwise.
    public var healthyByDefault = true
    /// Status of an object on its nth GET (tests script rollouts with it); nil falls back to the default.
    public var statusScript: (@Sendable (_ key: String, _ object: JSONValue, _ gets: Int) -> JSONValue?)?

    /// Kinds served: group version → (kind, resource, namespaced).
    static let kinds: [String: [(String, String, Bool)]] = [
        "v1": [("Namespace", "namespaces", false), ("ConfigMap", "configmaps", true), ("Secret", "secrets", true),
               ("Service", "services", true), ("ServiceAccount", "serviceaccounts", true),
               ("PersistentVolume", "persistentvolumes", false), ("PersistentVolumeClaim", "persistentvolumeclaims", true),
               ("Pod", "pods", true), ("Event", "events", true)],
        "apps/v1": [("Deployment", "deployments", true), ("StatefulSet", "statefulsets", true), ("DaemonSet", "daemonsets", true)],
        "batch/v1": [("Job", "jobs", true), ("CronJob", "cronjobs", true)],
        "admissionregistration.k8s.io/v1": [("MutatingWebhookConfiguration", "mutatingwebhookconfigurations", false),
                                            ("ValidatingWebhookConfiguration", "validatingwebhookconfigurations", false)],
        "rbac.authorization.k8s.io/v1": [("ClusterRole", "clusterroles", false), ("ClusterRoleBinding", "clusterrolebindings", false),
                                         ("Role", "roles", true), ("RoleBinding", "rolebindings", true)],
        "networking.k8s.io/v1": [("Ingress", "ingresses", true), ("IngressClass", "ingressclasses", false),
                                 ("NetworkPolicy", "networkpolicies", true)],
        "policy/v1": [("PodDisruptionBudget", "poddisruptionbudgets", true)],
        "storage.k8s.io/v1": [("StorageClass", "storageclasses", false)],
        "scheduling.k8s.io/v1": [("PriorityClass", "priorityclasses", false)],
        "autoscaling/v2": [("HorizontalPodAutoscaler", "horizontalpodautoscalers", true)],
        "apiextensions.k8s.io/v1": [("CustomResourceDefinition", "customresourcedefinitions", false)],
    ]

    public init(tls files: TLSFiles? = nil) throws {
        tls = try files.map(TLSEndpoint.init)
        listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listener, 64) == 0 else { throw POSIXError(.EADDRINUSE) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = getsockname(listener, $0, &length) }
        }
        port = UInt16(bigEndian: address.sin_port)
        let thread = Thread { [weak self] in self?.acceptLoop() }
        thread.start()
    }

    deinit { stop() }

    private var stopped = false

    /// Closes the listening socket, once: closing a descriptor twice could close another test's socket that has
    /// been given the same number since.
    public func stop() {
        let first: Bool = lock.withLock {
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    public var url: String { "\(tls == nil ? "http" : "https")://127.0.0.1:\(port)" }

    public func inject(_ fault: Fault, times: Int = 1) {
        lock.withLock { faults += Array(repeating: fault, count: times) }
    }

    public func object(_ key: String) -> JSONValue? { lock.withLock { store[key] } }

    public var objectCount: Int { lock.withLock { store.count } }

    public var requestLog: [String] { lock.withLock { log } }

    /// The Authorization header of every request, in order.
    public var authorizationLog: [String] { lock.withLock { authorizations } }

    /// Stores an object as a controller would create it (an Event, a Pod), under `apiVersion/resource/namespace/name`.
    public func put(_ key: String, _ object: JSONValue) {
        lock.withLock { store[key] = object }
    }

    /// Another manager (a controller, kubectl) writes `value` at a leaf path of a stored object.
    public func write(by manager: String, key: String, path: [String], value: JSONValue) {
        lock.withLock {
            guard var object = store[key] else { return }
            object = Self.setting(object, path[...], value)
            store[key] = object
            let leaf = Self.sep + path.joined(separator: Self.sep)
            for other in owners[key, default: [:]].keys { owners[key]?[other]?.remove(leaf) }
            owners[key, default: [:]][manager, default: []].insert(leaf)
        }
    }

    // MARK: - HTTP

    private func acceptLoop() {
        while true {
            let fd = accept(listener, nil, nil)
            guard fd >= 0 else { return }
            Thread { [weak self] in self?.serve(fd) }.start()
        }
    }

    private func serve(_ fd: Int32) {
        defer { close(fd) }
        var session: TLSEndpoint.Session?
        if let tls {
            guard let accepted = tls.accept(fd) else { return }
            session = accepted
            lock.withLock { subjects.append(accepted.peerSubject) }
        }
        defer { session = nil }
        func receive(_ chunk: inout [UInt8]) -> Int {
            session.map { $0.read(&chunk) } ?? read(fd, &chunk, chunk.count)
        }
        func send(_ bytes: ArraySlice<UInt8>) -> Int {
            session.map { $0.write(bytes) } ?? bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        }
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        for _ in 0..<10_000 {
            // Read one request: headers, then Content-Length bytes of body.
            var headerEnd: Int?
            while headerEnd == nil {
                if let r = Self.find(buffer, [13, 10, 13, 10]) { headerEnd = r; break }
                let n = receive(&chunk)
                if n <= 0 { return }
                buffer += chunk[0..<n]
            }
            guard let end = headerEnd else { return }
            let head = String(decoding: buffer[0..<end], as: UTF8.self).split(separator: "\r\n").map(String.init)
            guard let requestLine = head.first?.split(separator: " "), requestLine.count >= 2 else { return }
            var headers: [String: String] = [:]
            for line in head.dropFirst() {
                if let colon = line.firstIndex(of: ":") {
                    headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                }
            }
            let length = Int(headers["content-length"] ?? "0") ?? 0
            while buffer.count < end + 4 + length {
                let n = receive(&chunk)
                if n <= 0 { return }
                buffer += chunk[0..<n]
            }
            let body = Array(buffer[(end + 4)..<(end + 4 + length)])
            buffer.removeFirst(end + 4 + length)
            let method = String(requestLine[0])
            var target = String(requestLine[1])
            let absolute = target.hasPrefix("http://") || target.hasPrefix("https://")
            if absolute, let slash = target.dropFirst(8).firstIndex(of: "/") {
                // A proxy's absolute-form request: serve it as if it had come here directly.
                target = String(target[slash...])
            }
            let fault: Fault? = lock.withLock {
                log.append("\(method) \(absolute ? "(proxied) " : "")\(target)")
                authorizations.append(headers["authorization"] ?? "")
                return faults.isEmpty ? nil : faults.removeFirst()
            }
            lock.withLock {
                inFlight += 1
                maxInFlight = max(maxInFlight, inFlight)
            }
            defer { lock.withLock { inFlight -= 1 } }
            var extra: [String] = []
            var response: (Int, JSONValue)
            switch fault {
            case .drop?: return
            case .delay(let seconds)?:
                Thread.sleep(forTimeInterval: seconds)
                response = handle(method, target, body, headers)
            case .status(let code, let retryAfter)?:
                if let retryAfter { extra.append("Retry-After: \(retryAfter)") }
                response = (code, Self.status(code, code == 429 ? "TooManyRequests" : "InternalError", "injected fault"))
            case nil:
                response = handle(method, target, body, headers)
            }
            let payload = Array(response.1.jsonText.utf8)
            var head2 = "HTTP/1.1 \(response.0) \(Self.reason(response.0))\r\nContent-Type: application/json\r\n"
            head2 += "Content-Length: \(payload.count)\r\n" + extra.map { $0 + "\r\n" }.joined() + "\r\n"
            let out = Array(head2.utf8) + payload
            var written = 0
            while written < out.count {
                let n = send(out[written...])
                if n <= 0 { return }
                written += n
            }
        }
    }

    static func find(_ haystack: [UInt8], _ needle: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for i in 0...(haystack.count - needle.count) where haystack[i] == needle[0] && Array(haystack[i..<i + needle.count]) == needle {
            return i
        }
        return nil
    }

    static func reason(_ code: Int) -> String {
        [200: "OK", 201: "Created", 404: "Not Found", 409: "Conflict", 415: "Unsupported Media Type", 429: "Too Many Requests",
         500: "Internal Server Error", 503: "Service Unavailable"][code] ?? "Status"
    }

    static func status(_ code: Int, _ reason: String, _ message: String, causes: [JSONValue] = []) -> JSONValue {
        var fields: [(String, JSONValue)] = [("kind", .string("Status")), ("apiVersion", .string("v1")), ("status", .string("Failure")),
                                             ("message", .string(message)), ("reason", .string(reason)), ("code", .number(Double(code)))]
        if !causes.isEmpty { fields.append(("details", .object([("causes", .array(causes))]))) }
        return .object(fields)
    }

    // MARK: - API

    private func handle(_ method: String, _ target: String, _ body: [UInt8], _ headers: [String: String]) -> (Int, JSONValue) {
        let parts = target.split(separator: "?", maxSplits: 1)
        let path = String(parts[0])
        var query: [String: String] = [:]
        for pair in parts.count > 1 ? parts[1].split(separator: "&") : [] {
            let kv = pair.split(separator: "=", maxSplits: 1)
            query[String(kv[0])] = kv.count > 1 ? (String(kv[1]).removingPercentEncoding ?? String(kv[1])) : ""
        }
        let segments = path.split(separator: "/").map(String.init)
        // Discovery: /api/v1, /apis/<group>/<version>.
        if method == "GET", let gv = Self.groupVersion(segments), segments.count == (gv.contains("/") ? 3 : 2) {
            guard let kinds = Self.kinds[gv] else { return (404, Self.status(404, "NotFound", "the server could not find the requested resource")) }
            return (200, .object([("kind", .string("APIResourceList")), ("groupVersion", .string(gv)), ("resources", .array(kinds.map {
                .object([("name", .string($0.1)), ("namespaced", .bool($0.2)), ("kind", .string($0.0))])
            }))]))
        }
        guard let gv = Self.groupVersion(segments) else { return (404, Self.status(404, "NotFound", "not found")) }
        var rest = Array(segments.dropFirst(gv.contains("/") ? 3 : 2))
        var namespace: String?
        if rest.first == "namespaces", rest.count >= 3 {
            namespace = rest[1]
            rest = Array(rest.dropFirst(2))
        }
        guard let resource = rest.first, let kind = Self.kinds[gv]?.first(where: { $0.1 == resource }) else {
            return (404, Self.status(404, "NotFound", "the server could not find the requested resource"))
        }
        let prefix = "\(gv)/\(resource)/\(namespace ?? "")/"
        if rest.count == 1, method == "GET" {
            let selector = query["labelSelector"].map(Self.parseSelector) ?? []
            let items: [JSONValue] = lock.withLock {
                store.filter { $0.key.hasPrefix(namespace == nil ? "\(gv)/\(resource)/" : prefix) }.sorted { $0.key < $1.key }
                    .map { withStatus($0.key, $0.value) }.filter { Self.matches($0, selector) }
            }
            return (200, .object([("kind", .string(kind.0 + "List")), ("apiVersion", .string(gv)), ("items", .array(items))]))
        }
        guard rest.count == 2 else { return (404, Self.status(404, "NotFound", "not found")) }
        let name = rest[1]
        let key = prefix + name
        switch method {
        case "GET":
            return lock.withLock {
                guard let object = store[key] else { return (404, Self.status(404, "NotFound", "\(resource) \"\(name)\" not found")) }
                gets[key, default: 0] += 1
                return (200, withStatus(key, object))
            }
        case "DELETE":
            return lock.withLock {
                guard store.removeValue(forKey: key) != nil else { return (404, Self.status(404, "NotFound", "\(resource) \"\(name)\" not found")) }
                owners[key] = nil
                return (200, Self.status(200, "", "deleted"))
            }
        case "PATCH":
            guard headers["content-type"] == "application/apply-patch+yaml" else {
                return (415, Self.status(415, "UnsupportedMediaType", "only server-side apply is served"))
            }
            guard let applied = try? JSONReader.parse(String(decoding: body, as: UTF8.self)) else {
                return (400, Self.status(400, "BadRequest", "the body is not JSON"))
            }
            guard let manager = query["fieldManager"], !manager.isEmpty else {
                return (400, Self.status(400, "BadRequest", "fieldManager is required for apply"))
            }
            return lock.withLock { apply(applied, key: key, manager: manager, force: query["force"] == "true", dryRun: query["dryRun"] == "All") }
        default:
            return (405, Self.status(405, "MethodNotAllowed", "method not allowed"))
        }
    }

    /// The object as a read returns it: with the status its script (or a healthy cluster) gives it. Called locked.
    private func withStatus(_ key: String, _ object: JSONValue) -> JSONValue {
        guard let status = statusScript?(key, object, gets[key, default: 0]) ?? (healthyByDefault ? Self.healthyStatus(object) : nil) else {
            return object
        }
        return Self.setting(object, ["status"], status)
    }

    /// Server-side apply: the applied fields win and become the manager's; fields the manager applied before and
    /// leaves out now are removed; a field another manager owns with a different value is a conflict unless forced.
    private func apply(_ applied: JSONValue, key: String, manager: String, force: Bool, dryRun: Bool) -> (Int, JSONValue) {
        let applied = Self.foldingStringData(applied)
        let appliedLeaves = Self.leaves(applied)
        let fields = Set(appliedLeaves.keys)
        let existing = store[key]
        var conflicts: [JSONValue] = []
        if let existing {
            let live = Self.leaves(existing)
            for (other, owned) in owners[key, default: [:]] where other != manager {
                for field in owned.intersection(fields).sorted() where live[field] != appliedLeaves[field] {
                    let shown = field.replacingOccurrences(of: Self.sep, with: ".")
                    conflicts.append(.object([("type", .string("FieldManagerConflict")), ("field", .string(shown)),
                                              ("message", .string("conflict with \"\(other)\" using \(applied["apiVersion"]?.stringValue ?? ""): \(shown)"))]))
                }
            }
        }
        if !conflicts.isEmpty, !force {
            return (409, Self.status(409, "Conflict", "Apply failed with \(conflicts.count) conflict(s)", causes: conflicts))
        }
        var result = existing ?? .object([])
        let previouslyOwned = owners[key]?[manager] ?? []
        for stale in previouslyOwned.subtracting(fields) where !Self.ownedByOthers(stale, key: key, except: manager, owners) {
            result = Self.removing(result, Array(stale.components(separatedBy: Self.sep).dropFirst())[...])
        }
        for (field, value) in appliedLeaves {
            result = Self.setting(result, Array(field.components(separatedBy: Self.sep).dropFirst())[...], value)
        }
        // Identity fields are not owned by anyone; the server always keeps them.
        for field in ["apiVersion", "kind"] { result = Self.setting(result, [field], applied[field] ?? .string("")) }
        for field in ["name", "namespace"] where applied["metadata"]?[field] != nil {
            result = Self.setting(result, ["metadata", field], applied["metadata"]![field]!)
        }
        counter += 1
        let changed = existing.map { !($0 == result) } ?? true
        var metadata = result["metadata"] ?? .object([])
        if existing == nil {
            metadata = Self.setting(metadata, ["uid"], .string("uid-\(counter)"))
            metadata = Self.setting(metadata, ["creationTimestamp"], .string("2026-01-01T00:00:00Z"))
            metadata = Self.setting(metadata, ["generation"], .number(1))
        } else if changed, !(existing?["spec"] == result["spec"]) {
            metadata = Self.setting(metadata, ["generation"], .number((existing?["metadata"]?["generation"]?.numberValue ?? 1) + 1))
        }
        if changed { metadata = Self.setting(metadata, ["resourceVersion"], .string("\(counter)")) }
        result = Self.setting(result, ["metadata"], metadata)
        if !dryRun {
            store[key] = result
            var managers = owners[key, default: [:]]
            if force { for other in managers.keys where other != manager { managers[other]?.subtract(fields) } }
            managers[manager] = fields
            owners[key] = managers
        }
        return (existing == nil ? 201 : 200, result)
    }

    /// What a healthy cluster reports for an object of this kind once its controllers have done their work.
    public static func healthyStatus(_ object: JSONValue) -> JSONValue? {
        let generation = object["metadata"]?["generation"] ?? .number(1)
        let replicas = object["spec"]?["replicas"] ?? .number(1)
        func condition(_ type: String) -> JSONValue {
            .array([.object([("type", .string(type)), ("status", .string("True"))])])
        }
        switch object["kind"]?.stringValue {
        case "Namespace": return .object([("phase", .string("Active"))])
        case "CustomResourceDefinition": return .object([("conditions", condition("Established"))])
        case "PersistentVolumeClaim": return .object([("phase", .string("Bound"))])
        case "Job": return .object([("conditions", condition("Complete"))])
        case "Deployment":
            return .object([("observedGeneration", generation), ("replicas", replicas), ("updatedReplicas", replicas),
                            ("readyReplicas", replicas), ("availableReplicas", replicas), ("conditions", condition("Available"))])
        case "StatefulSet":
            return .object([("observedGeneration", generation), ("replicas", replicas), ("readyReplicas", replicas),
                            ("updatedReplicas", replicas), ("currentRevision", .string("r1")), ("updateRevision", .string("r1"))])
        case "DaemonSet":
            return .object([("observedGeneration", generation), ("desiredNumberScheduled", .number(3)), ("numberReady", .number(3)),
                            ("updatedNumberScheduled", .number(3)), ("numberAvailable", .number(3))])
        default: return nil
        }
    }

    static func ownedByOthers(_ field: String, key: String, except manager: String, _ owners: [String: [String: Set<String>]]) -> Bool {
        owners[key, default: [:]].contains { $0.key != manager && $0.value.contains(field) }
    }

    // MARK: - JSON paths

    /// Separates the keys of a leaf path (a character no key holds).
    static let sep = "\u{1F}"

    /// A Secret's `stringData` folded into base64 `data`, as the API server stores it.
    static func foldingStringData(_ object: JSONValue) -> JSONValue {
        guard object["kind"]?.stringValue == "Secret", let stringData = object["stringData"]?.objectValue else { return object }
        var result = removing(object, ["stringData"])
        for (key, value) in stringData {
            result = setting(result, ["data", key], .string(Data((value.stringValue ?? "").utf8).base64EncodedString()))
        }
        return result
    }

    /// Fields no manager owns: the object's identity, and status (its controller's).
    static let identityPaths: Set<String> = Set([["apiVersion"], ["kind"], ["metadata", "name"], ["metadata", "namespace"], ["status"]]
        .map { sep + $0.joined(separator: sep) })

    /// Leaf paths of an object (keys joined by `sep` → value), identity fields left out; lists are leaves.
    static func leaves(_ value: JSONValue, _ prefix: String = "") -> [String: JSONValue] {
        guard case .object(let members) = value else { return [prefix: value] }
        var out: [String: JSONValue] = [:]
        for (key, child) in members {
            let path = prefix + sep + key
            if identityPaths.contains(path) { continue }
            if case .object(let inner) = child, !inner.isEmpty {
                out.merge(leaves(child, path)) { a, _ in a }
            } else {
                out[path] = child
            }
        }
        return out
    }

    static func setting(_ value: JSONValue, _ path: ArraySlice<String>, _ new: JSONValue) -> JSONValue {
        guard let first = path.first else { return new }
        var members = value.objectValue ?? []
        if let i = members.firstIndex(where: { $0.0 == first }) {
            members[i].1 = setting(members[i].1, path.dropFirst(), new)
        } else {
            members.append((first, setting(.object([]), path.dropFirst(), new)))
        }
        return .object(members)
    }

    static func removing(_ value: JSONValue, _ path: ArraySlice<String>) -> JSONValue {
        guard let first = path.first, var members = value.objectValue else { return value }
        if path.count == 1 {
            members.removeAll { $0.0 == first }
        } else if let i = members.firstIndex(where: { $0.0 == first }) {
            members[i].1 = removing(members[i].1, path.dropFirst())
        }
        return .object(members)
    }

    static func groupVersion(_ segments: [String]) -> String? {
        if segments.first == "api", segments.count >= 2 { return segments[1] }
        if segments.first == "apis", segments.count >= 3 { return segments[1] + "/" + segments[2] }
        return nil
    }

    static func parseSelector(_ text: String) -> [(String, String, Bool)] {
        text.split(separator: ",").compactMap { term in
            if let r = term.range(of: "!=") { return (String(term[..<r.lowerBound]), String(term[r.upperBound...]), false) }
            let kv = term.split(separator: "=", maxSplits: 1)
            return kv.count == 2 ? (String(kv[0]), String(kv[1]), true) : nil
        }
    }

    static func matches(_ object: JSONValue, _ selector: [(String, String, Bool)]) -> Bool {
        let labels = object["metadata"]?["labels"]
        return selector.allSatisfy { key, value, equal in (labels?[key]?.stringValue == value) == equal }
    }
}
