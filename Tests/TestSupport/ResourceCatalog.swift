import Schema

/// A resource the test API server serves.
struct ServedResource: Equatable {
    var groupVersion: String
    var kind: String
    var plural: String
    var namespaced: Bool
    /// Served with a `/status` subresource: writes to the main resource leave `.status` alone, and status writes
    /// touch nothing else.
    var hasStatus: Bool
    /// Served because a CustomResourceDefinition defines it (stored as sent: no Go encoding).
    var isCustom = false
    /// For a custom resource served at several versions: the storage version's group version. Its objects are stored
    /// once, under that version's keys, and read at any served version (as the API server converts them; kiln's CRDs
    /// keep the same fields in every version, so the apiVersion is all that changes).
    var storedAs: String?

    /// The group version of the keys its objects are stored under.
    var storeGroupVersion: String { storedAs ?? groupVersion }

    var group: String { groupVersion.contains("/") ? String(groupVersion.prefix { $0 != "/" }) : "" }
    var version: String { String(groupVersion.split(separator: "/").last ?? "") }
    /// `deployments.apps` (`configmaps` in the core group), as the API server names resources in messages.
    var qualifiedName: String { group.isEmpty ? plural : "\(plural).\(group)" }
    /// `Deployment.apps`, as validation messages name kinds.
    var qualifiedKind: String { group.isEmpty ? kind : "\(kind).\(group)" }
}

/// What the server serves: the built-in kinds kiln renders, and the kinds of every CRD applied to it (as a real
/// API server starts serving a CRD's resources once it is stored).
struct ResourceCatalog {
    static let builtIn: [ServedResource] = {
        let table: [(String, [(String, String, Bool, Bool)])] = [
            ("v1", [("Namespace", "namespaces", false, true), ("ConfigMap", "configmaps", true, false),
                    ("Secret", "secrets", true, false), ("Service", "services", true, true),
                    ("ServiceAccount", "serviceaccounts", true, false), ("PersistentVolume", "persistentvolumes", false, true),
                    ("PersistentVolumeClaim", "persistentvolumeclaims", true, true), ("Pod", "pods", true, true),
                    ("Event", "events", true, false)]),
            ("apps/v1", [("Deployment", "deployments", true, true), ("StatefulSet", "statefulsets", true, true),
                         ("DaemonSet", "daemonsets", true, true), ("ReplicaSet", "replicasets", true, true)]),
            ("batch/v1", [("Job", "jobs", true, true), ("CronJob", "cronjobs", true, true)]),
            ("admissionregistration.k8s.io/v1", [("MutatingWebhookConfiguration", "mutatingwebhookconfigurations", false, false),
                                                 ("ValidatingWebhookConfiguration", "validatingwebhookconfigurations", false, false)]),
            ("rbac.authorization.k8s.io/v1", [("ClusterRole", "clusterroles", false, false), ("ClusterRoleBinding", "clusterrolebindings", false, false),
                                              ("Role", "roles", true, false), ("RoleBinding", "rolebindings", true, false)]),
            ("networking.k8s.io/v1", [("Ingress", "ingresses", true, true), ("IngressClass", "ingressclasses", false, false),
                                      ("NetworkPolicy", "networkpolicies", true, false)]),
            ("policy/v1", [("PodDisruptionBudget", "poddisruptionbudgets", true, true)]),
            ("storage.k8s.io/v1", [("StorageClass", "storageclasses", false, false)]),
            ("scheduling.k8s.io/v1", [("PriorityClass", "priorityclasses", false, false)]),
            ("autoscaling/v2", [("HorizontalPodAutoscaler", "horizontalpodautoscalers", true, true)]),
            ("apiextensions.k8s.io/v1", [("CustomResourceDefinition", "customresourcedefinitions", false, true)]),
            // The operator's leader election.
            ("coordination.k8s.io/v1", [("Lease", "leases", true, false)]),
        ]
        return table.flatMap { gv, kinds in
            kinds.map { ServedResource(groupVersion: gv, kind: $0.0, plural: $0.1, namespaced: $0.2, hasStatus: $0.3) }
        } + preflightKinds
    }()

    /// CRD name → the resources it serves (one per served version).
    private var custom: [String: [ServedResource]] = [:]

    var all: [ServedResource] { Self.builtIn + custom.keys.sorted().flatMap { custom[$0]! } }

    func resource(_ groupVersion: String, plural: String) -> ServedResource? {
        all.first { $0.groupVersion == groupVersion && $0.plural == plural }
    }

    func resource(apiVersion: String, kind: String) -> ServedResource? {
        all.first { $0.groupVersion == apiVersion && $0.kind == kind }
    }

    /// Group versions in order of first appearance: `v1` first, as `/api` lists it.
    var groupVersions: [String] {
        var seen: [String] = []
        for resource in all where !seen.contains(resource.groupVersion) { seen.append(resource.groupVersion) }
        return seen
    }

    /// Starts (or keeps) serving what a stored CRD defines.
    mutating func register(_ crd: JSONValue) {
        guard let name = crd["metadata"]?["name"]?.stringValue, let spec = crd["spec"], let group = spec["group"]?.stringValue,
              let kind = spec["names"]?["kind"]?.stringValue, let plural = spec["names"]?["plural"]?.stringValue else { return }
        let namespaced = spec["scope"]?.stringValue != "Cluster"
        let versions = spec["versions"]?.arrayValue ?? []
        let storage = (versions.first { $0["storage"]?.boolValue == true } ?? versions.last)?["name"]?.stringValue
        let served = versions.filter { $0["served"]?.boolValue ?? true }
        custom[name] = served.compactMap { version in
            guard let v = version["name"]?.stringValue else { return nil }
            return ServedResource(groupVersion: "\(group)/\(v)", kind: kind, plural: plural, namespaced: namespaced,
                                  hasStatus: version["subresources"]?["status"] != nil, isCustom: true,
                                  storedAs: served.count > 1 ? storage.map { "\(group)/\($0)" } : nil)
        }
    }

    mutating func unregister(_ crdName: String) { custom[crdName] = nil }

    // MARK: - Discovery documents

    /// `/api`: the core group's versions.
    var coreVersions: JSONValue {
        .object([("kind", .string("APIVersions")), ("versions", .array([.string("v1")])),
                 ("serverAddressByClientCIDRs", .array([]))])
    }

    /// `/apis`: every named group with its versions and preferred version.
    var groupList: JSONValue {
        .object([("kind", .string("APIGroupList")), ("apiVersion", .string("v1")),
                 ("groups", .array(groupNames.compactMap(group)))])
    }

    private var groupNames: [String] {
        var seen: [String] = []
        for resource in all where !resource.group.isEmpty && !seen.contains(resource.group) { seen.append(resource.group) }
        return seen
    }

    /// `/apis/<group>`.
    func group(_ name: String) -> JSONValue? {
        let versions = groupVersions.filter { $0.hasPrefix(name + "/") }
            .sorted { Self.versionPriority(String($0.dropFirst(name.count + 1)), String($1.dropFirst(name.count + 1))) }
        guard let preferred = versions.first else { return nil }
        func entry(_ gv: String) -> JSONValue {
            .object([("groupVersion", .string(gv)), ("version", .string(String(gv.dropFirst(name.count + 1))))])
        }
        return .object([("kind", .string("APIGroup")), ("apiVersion", .string("v1")), ("name", .string(name)),
                        ("versions", .array(versions.map(entry))), ("preferredVersion", entry(preferred))])
    }

    /// The API server's order of a group's versions (`version.CompareKubeAwareVersionStrings`): GA before beta before
    /// alpha, higher numbers first, versions not of that form last, alphabetically. The first is the preferred version:
    /// a CRD serving v1alpha1 and v1 is read at v1, whatever order the CRD lists them in.
    static func versionPriority(_ a: String, _ b: String) -> Bool {
        func parts(_ v: String) -> (major: Int, level: Int, minor: Int)? {
            guard v.hasPrefix("v"), let digits = Int(v.dropFirst().prefix { $0.isNumber }) else { return nil }
            let rest = v.dropFirst(1 + String(digits).count)
            if rest.isEmpty { return (digits, 2, 0) }
            for (word, level) in [("beta", 1), ("alpha", 0)] where rest.hasPrefix(word) {
                guard let minor = Int(rest.dropFirst(word.count)) else { return nil }
                return (digits, level, minor)
            }
            return nil
        }
        switch (parts(a), parts(b)) {
        case let (x?, y?): return (x.level, x.major, x.minor) > (y.level, y.major, y.minor)
        case (_?, nil): return true
        case (nil, _?): return false
        case (nil, nil): return a < b
        }
    }

    /// `/api/v1`, `/apis/<group>/<version>`: the resources and their status subresources.
    func resourceList(_ groupVersion: String) -> JSONValue? {
        let resources = all.filter { $0.groupVersion == groupVersion }
        guard !resources.isEmpty else { return nil }
        let verbs: JSONValue = .array(["create", "delete", "get", "list", "patch", "update", "watch"].map { .string($0) })
        let entries = resources.flatMap { resource -> [JSONValue] in
            let main: JSONValue = .object([("name", .string(resource.plural)), ("singularName", .string(resource.kind.lowercased())),
                                           ("namespaced", .bool(resource.namespaced)), ("kind", .string(resource.kind)), ("verbs", verbs)])
            guard resource.hasStatus else { return [main] }
            return [main, .object([("name", .string(resource.plural + "/status")), ("singularName", .string("")),
                                   ("namespaced", .bool(resource.namespaced)), ("kind", .string(resource.kind)),
                                   ("verbs", .array(["get", "patch", "update"].map { .string($0) }))])]
        }
        return .object([("kind", .string("APIResourceList")), ("apiVersion", .string("v1")),
                        ("groupVersion", .string(groupVersion)), ("resources", .array(entries))])
    }
}
