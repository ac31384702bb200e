import Foundation
import Schema

/// A Kubernetes API server for tests, following the real one's semantics where kiln can observe them: discovery
/// (`/api`, `/apis`, each group version, CRDs once stored), server-side apply merged per list type with field
/// ownership in `managedFields` (`Kube/Merge`), create/update/merge/strategic/JSON patches, the status
/// subresource, watches, dry run, namespaces that must exist, immutable fields, Go's `omitempty`, and one
/// resourceVersion counter. Tests script status and inject faults (errors, throttling, delays, dropped
/// connections). No Kubernetes API server can run on these machines; kiln's production code talks to this one as
/// it would to a real one.
///
/// Files: transport (`HTTPTransport`), routing (`APIRoute`, `TestAPIServer+Routing`), discovery
/// (`ResourceCatalog`), storage (`ObjectStore`), writes (`TestAPIServer+Writes`, `Patches`, `ImmutableFields`,
/// `GoEncoding`), watches (`TestAPIServer+Watch`), status (`TestAPIServer+Status`).
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

    /// Guards everything below; watches wait on it for new events.
    let state = NSCondition()
    var store = ObjectStore()
    var catalog = ResourceCatalog()
    var faults: [Fault] = []
    var log: [String] = []
    var authorizations: [String] = []
    var issuedTokens: [String] = []
    var subjects: [String] = []
    var inFlight = 0
    var mostInFlight = 0
    var gets: [String: Int] = [:]
    var stopped = false
    var preflight = PreflightState()
    private var transport: HTTPTransport?
    private let tls: TLSEndpoint?

    /// Objects report the status a healthy cluster gives them unless `statusScript` says otherwise.
    public var healthyByDefault = true
    /// Status of an object on its nth GET (tests script rollouts with it); nil falls back to the stored status, then
    /// to the default.
    public var statusScript: (@Sendable (_ key: String, _ object: JSONValue, _ gets: Int) -> JSONValue?)?
    /// How often a watch that allows bookmarks gets one (a real server sends them about once a minute).
    public var bookmarkInterval: Double = 0.1

    /// The namespaces every cluster starts with.
    public static let initialNamespaces = ["default", "kube-system", "kube-public", "kube-node-lease"]

    public init(tls files: TLSFiles? = nil) throws {
        tls = try files.map(TLSEndpoint.init)
        for name in Self.initialNamespaces {
            store.write(.object([("apiVersion", .string("v1")), ("kind", .string("Namespace")),
                                 ("metadata", .object([("name", .string(name)), ("uid", .string(UUID().uuidString.lowercased())),
                                                       ("creationTimestamp", .string(Self.now()))]))]),
                        at: ObjectStore.namespaceKey(name))
        }
        transport = try HTTPTransport(tls: tls, onTLSClient: { [weak self] subject in
            self?.state.withLock { self?.subjects.append(subject) }
        }, handler: { [weak self] request in self?.respond(request) ?? .drop })
    }

    deinit { stop() }

    /// Stops listening and ends every connection, watches included.
    public func stop() {
        state.withLock {
            stopped = true
            state.broadcast()
        }
        transport?.stop()
    }

    public var port: UInt16 { transport?.port ?? 0 }

    public var url: String { "\(tls == nil ? "http" : "https")://127.0.0.1:\(port)" }

    // MARK: - Knobs and inspection

    public func inject(_ fault: Fault, times: Int = 1) {
        state.withLock { faults += Array(repeating: fault, count: times) }
    }

    /// The stored object under `apiVersion/resource/namespace/name` (`apps/v1/deployments/apps/web`,
    /// `v1/namespaces//apps`), without scripted status.
    public func object(_ key: String) -> JSONValue? { state.withLock { store[key] } }

    /// Objects stored, not counting the namespaces every cluster starts with.
    public var objectCount: Int {
        state.withLock { store.objects.keys.filter { !Self.initialNamespaces.map(ObjectStore.namespaceKey).contains($0) }.count }
    }

    /// `GET /apis/apps/v1/...`, one line per request, in order.
    public var requestLog: [String] { state.withLock { log } }

    /// The Authorization header of every request, in order.
    public var authorizationLog: [String] { state.withLock { authorizations } }

    /// The tokens TokenRequests were answered with (`POST …/serviceaccounts/NAME/token`), in order.
    public var tokensIssued: [String] { state.withLock { issuedTokens } }

    /// The client certificate subject of every TLS connection (`/CN=kiln-admin`).
    public var clientSubjects: [String] { state.withLock { subjects } }

    /// The most requests the server was answering at once (tests of parallel apply read it).
    public var maxInFlight: Int { state.withLock { mostInFlight } }

    /// The resourceVersion of the last write.
    public var resourceVersion: Int { state.withLock { store.revision } }

    /// Stores an object as a controller would create it (an Event, a Pod), under `apiVersion/resource/namespace/name`,
    /// with no checks and no field ownership.
    public func put(_ key: String, _ object: JSONValue) {
        state.withLock {
            store.write(object, at: key)
            state.broadcast()
        }
    }

    /// Creates a namespace (as `kubectl create namespace` would, manager `kubectl-create`), if there is none.
    public func createNamespace(_ name: String) {
        state.withLock {
            guard store[ObjectStore.namespaceKey(name)] == nil, let resource = catalog.resource(apiVersion: "v1", kind: "Namespace") else { return }
            let namespace: JSONValue = .object([("apiVersion", .string("v1")), ("kind", .string("Namespace")),
                                                ("metadata", .object([("name", .string(name))]))])
            _ = write(.create(namespace), WriteTarget(resource: resource, namespace: nil, name: nil, subresource: nil),
                      manager: "kubectl-create", dryRun: false)
        }
    }

    /// Another manager (a controller, `kubectl edit`) writes `value` at a path of field names of a stored object: an
    /// update through the API (an `Update` entry in managedFields for `manager`, resourceVersion and generation as
    /// any write). A path under `status` goes through the status subresource of kinds that have one.
    public func write(by manager: String, key: String, path: [String], value: JSONValue) {
        state.withLock {
            guard let live = store[key], let target = target(ofKey: key) else { return }
            let changed = JSONEditing.setting(live, path[...], value)
            let status = path.first == "status" && target.resource.hasStatus
            _ = write(.replace(changed), WriteTarget(resource: target.resource, namespace: target.namespace, name: target.name,
                                                     subresource: status ? "status" : nil), manager: manager, dryRun: false)
        }
    }

    /// Forgets the change history, as etcd's compaction does: a watch from an older resourceVersion gets 410 Gone.
    public func compact() {
        state.withLock { store.compact() }
    }

    /// A key's resource, namespace and name. Called locked.
    func target(ofKey key: String) -> WriteTarget? {
        guard let parts = ObjectStore.parts(key), let resource = catalog.resource(parts.groupVersion, plural: parts.plural) else {
            return nil
        }
        return WriteTarget(resource: resource, namespace: parts.namespace, name: parts.name, subresource: nil)
    }

    /// RFC 3339 to the second, as managedFields and creationTimestamp carry it.
    static func now() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date())
    }
}
