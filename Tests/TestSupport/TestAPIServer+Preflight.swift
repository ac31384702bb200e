import Foundation
import Kube
import Schema

/// What `kiln preflight` reads that the rest of the server does not serve: `/version`, Nodes, CSIDrivers, and
/// SelfSubjectAccessReview (answered from a deny list, as an authorizer would: everything else is allowed), plus
/// knobs to script a cluster's nodes, storage and CNI, and objects a Helm release installed.
extension ResourceCatalog {
    /// Served alongside `builtIn`.
    static let preflightKinds: [ServedResource] = [
        ServedResource(groupVersion: "v1", kind: "Node", plural: "nodes", namespaced: false, hasStatus: true),
        ServedResource(groupVersion: "storage.k8s.io/v1", kind: "CSIDriver", plural: "csidrivers", namespaced: false, hasStatus: false),
        ServedResource(groupVersion: "authorization.k8s.io/v1", kind: "SelfSubjectAccessReview", plural: "selfsubjectaccessreviews",
                       namespaced: false, hasStatus: false),
    ]
}

/// The server's preflight state, guarded by the server's lock.
struct PreflightState {
    var gitVersion = "v1.32.2"
    /// (verb, resource, group, namespace): a nil namespace denies the verb in every namespace.
    var denied: [(verb: String, resource: String, group: String, namespace: String?)] = []
    var reviews = 0
}

extension TestAPIServer {
    /// The Kubernetes version `/version` reports (`v1.30.4`, `v1.33.1-eks-abc`).
    public var kubernetesVersion: String {
        get { state.withLock { preflight.gitVersion } }
        set { state.withLock { preflight.gitVersion = newValue } }
    }

    /// Makes SelfSubjectAccessReview refuse `verb` on `resource` of `group` (in `namespace`, or everywhere).
    public func deny(_ verb: String, _ resource: String, group: String = "", namespace: String? = nil) {
        state.withLock { preflight.denied.append((verb, resource, group, namespace)) }
    }

    /// How many access reviews were asked.
    public var accessReviews: Int { state.withLock { preflight.reviews } }

    /// A node as the kubelet registers it: labels, allocatable CPU and memory, taints (`key=value:Effect`).
    public func addNode(_ name: String, labels: [String: String], cpu: String = "15890m", memory: String = "62Gi", taints: [String] = []) {
        let taintList: [JSONValue] = taints.map { text in
            let (pair, effect) = text.split(separator: ":").map(String.init).splitPair
            let (key, value) = pair.split(separator: "=").map(String.init).splitPair
            return .object([("key", .string(key))] + (value.isEmpty ? [] : [("value", .string(value))]) + [("effect", .string(effect))])
        }
        let allocatable: JSONValue = .object([("cpu", .string(cpu)), ("memory", .string(memory)), ("pods", .string("110"))])
        put("v1/nodes//\(name)", .object([
            ("apiVersion", .string("v1")), ("kind", .string("Node")),
            ("metadata", .object([("name", .string(name)), ("labels", .object(labels.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))])),
            ("spec", .object(taintList.isEmpty ? [] : [("taints", .array(taintList))])),
            ("status", .object([("allocatable", allocatable), ("capacity", allocatable)])),
        ]))
    }

    /// A StorageClass made outside kiln (by the cloud, or an admin), the default one when `isDefault`.
    public func addStorageClass(_ name: String, provisioner: String, isDefault: Bool = false) {
        let annotations: [(String, JSONValue)] = isDefault ? [("storageclass.kubernetes.io/is-default-class", .string("true"))] : []
        put("storage.k8s.io/v1/storageclasses//\(name)", .object([
            ("apiVersion", .string("storage.k8s.io/v1")), ("kind", .string("StorageClass")),
            ("metadata", .object([("name", .string(name))] + (annotations.isEmpty ? [] : [("annotations", .object(annotations))]))),
            ("provisioner", .string(provisioner)),
        ]))
    }

    /// A CSIDriver object, as a CSI driver's installation registers it.
    public func addCSIDriver(_ name: String) {
        put("storage.k8s.io/v1/csidrivers//\(name)", .object([
            ("apiVersion", .string("storage.k8s.io/v1")), ("kind", .string("CSIDriver")),
            ("metadata", .object([("name", .string(name))])), ("spec", .object([("attachRequired", .bool(true))])),
        ]))
    }

    /// A DaemonSet in kube-system (a CNI's node agent), with containers of these names.
    public func addSystemDaemonSet(_ name: String, containers: [String]) {
        let list: [JSONValue] = containers.map { .object([("name", .string($0)), ("image", .string("example.com/\($0):1"))]) }
        put("apps/v1/daemonsets/kube-system/\(name)", .object([
            ("apiVersion", .string("apps/v1")), ("kind", .string("DaemonSet")),
            ("metadata", .object([("name", .string(name)), ("namespace", .string("kube-system"))])),
            ("spec", .object([("template", .object([("spec", .object([("containers", .array(list))]))]))])),
        ]))
    }

    /// Creates `object` as Helm 3 does: a create by field manager `helm` (ownership recorded in managedFields), so
    /// a later server-side apply of other values by kiln conflicts with `helm`. Returns the HTTP status.
    @discardableResult
    public func createAsHelm(_ object: JSONValue) -> Int {
        state.withLock {
            let apiVersion = object["apiVersion"]?.stringValue ?? "", kind = object["kind"]?.stringValue ?? ""
            guard let resource = catalog.resource(apiVersion: apiVersion, kind: kind) else { return 404 }
            let namespace = resource.namespaced ? object["metadata"]?["namespace"]?.stringValue : nil
            let (code, _) = write(.create(object), WriteTarget(resource: resource, namespace: namespace, name: nil, subresource: nil),
                                  manager: "helm", dryRun: false)
            return code
        }
    }

    /// `/version` and access reviews; nil for everything else. Called unlocked, from the router.
    func preflightAnswer(_ request: HTTPServerRequest, path: String) -> HTTPServerResponse? {
        if request.method == "GET", path == "/version" {
            let git = kubernetesVersion
            let numbers = git.drop { !$0.isNumber }.split(separator: ".")
            let body: JSONValue = .object([("major", .string(numbers.first.map(String.init) ?? "")),
                                           ("minor", .string(numbers.count > 1 ? String(numbers[1]) : "")),
                                           ("gitVersion", .string(git)), ("platform", .string("linux/amd64"))])
            return .json(200, JSONDocument(text: body.jsonText))
        }
        guard request.method == "POST", path == "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
              let review = try? JSONReader.parse(String(decoding: request.body, as: UTF8.self)) else { return nil }
        let attributes = review["spec"]?["resourceAttributes"]
        let verb = attributes?["verb"]?.stringValue ?? "", resource = attributes?["resource"]?.stringValue ?? ""
        let group = attributes?["group"]?.stringValue ?? "", namespace = attributes?["namespace"]?.stringValue
        let allowed = state.withLock {
            preflight.reviews += 1
            // A review without a namespace asks about every namespace: any refusal in one refuses it.
            return !preflight.denied.contains { $0.verb == verb && $0.resource == resource && $0.group == group
                && ($0.namespace == nil || namespace == nil || $0.namespace == namespace) }
        }
        let answer: JSONValue = .object([("apiVersion", .string("authorization.k8s.io/v1")), ("kind", .string("SelfSubjectAccessReview")),
                                         ("spec", review["spec"] ?? .object([])),
                                         ("status", .object([("allowed", .bool(allowed))] + (allowed ? [] : [("reason", .string("denied by the test server's deny list"))])))])
        return .json(201, JSONDocument(text: answer.jsonText))
    }
}

private extension Array where Element == String {
    /// The first element and the rest joined back, or an empty second half.
    var splitPair: (String, String) { (first ?? "", dropFirst().joined(separator: ":")) }
}
