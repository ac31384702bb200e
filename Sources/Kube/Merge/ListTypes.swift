/// How server-side apply treats a list: entries identified by key fields and merged one by one (`map`), scalar
/// entries identified by their value (`set`), or the whole list as one value that the last applier replaces
/// (`atomic`).
public enum ListType: Sendable, Equatable {
    case map(keys: [String])
    case set
    case atomic
}

/// The list semantics of the kinds kiln renders, one table for the API server and the apply engine alike.
///
/// Facts come from the upstream Kubernetes OpenAPI (`api/openapi-spec/v3` in kubernetes/kubernetes, v1.30), where
/// they are the `x-kubernetes-list-type` / `x-kubernetes-list-map-keys` / `x-kubernetes-patch-merge-key` extensions
/// generated from the `+listType`, `+listMapKey` and `patchMergeKey` markers in `k8s.io/api`. A list the table does
/// not name is atomic, as structured-merge-diff treats every list of an unknown schema (a custom resource without
/// list markers included).
///
/// Paths are field names from the object root with list entries transparent: `spec.template.spec.containers.env`
/// is the env list of any container of a Deployment's pod template.
public enum ListTypes {
    public static func type(kind: String, path: [String]) -> ListType {
        let joined = path.joined(separator: ".")
        return table[kind]?[joined] ?? everyKind[joined] ?? .atomic
    }

    /// Maps that server-side apply replaces whole (`+structType=atomic` / `x-kubernetes-map-type: atomic`): label
    /// selectors and the key selectors of env and volume sources. Fields of any other map are owned one by one.
    public static func isAtomicMap(kind: String, path: [String]) -> Bool {
        let joined = path.joined(separator: ".")
        return atomicMaps[kind]?.contains(joined) == true
    }

    /// The value a key field takes when an entry leaves it out (structured-merge-diff reads key defaults from the
    /// schema: a port's `protocol` defaults to TCP, so `{containerPort: 80}` is the entry `k:{"containerPort":80,"protocol":"TCP"}`).
    public static let keyDefaults: [String: String] = ["protocol": "TCP"]

    // MARK: - The table

    /// A container's lists (containers, init containers and ephemeral containers alike).
    static let container: [String: ListType] = [
        "env": .map(keys: ["name"]),
        "envFrom": .atomic,
        "ports": .map(keys: ["containerPort", "protocol"]),
        "volumeMounts": .map(keys: ["mountPath"]),
        "volumeDevices": .map(keys: ["devicePath"]),
        "resizePolicy": .atomic,
        "args": .atomic,
        "command": .atomic,
    ]

    /// A pod spec's lists, relative to the pod spec.
    static let podSpec: [String: ListType] = {
        var rules: [String: ListType] = [
            "volumes": .map(keys: ["name"]),
            "imagePullSecrets": .map(keys: ["name"]),
            "tolerations": .atomic,
            "topologySpreadConstraints": .map(keys: ["topologyKey", "whenUnsatisfiable"]),
            "hostAliases": .map(keys: ["ip"]),
            "readinessGates": .atomic,
            "schedulingGates": .map(keys: ["name"]),
            "resourceClaims": .map(keys: ["name"]),
        ]
        for list in ["containers", "initContainers", "ephemeralContainers"] {
            rules[list] = .map(keys: ["name"])
            for (path, type) in container { rules[list + "." + path] = type }
        }
        return rules
    }()

    /// Object metadata's lists, relative to the metadata (an object's and a pod template's).
    static let metadata: [String: ListType] = [
        "finalizers": .set,
        "ownerReferences": .map(keys: ["uid"]),
    ]

    /// Where each kind keeps its pod template's spec.
    static let podSpecPaths: [String: String] = [
        "Pod": "spec",
        "Deployment": "spec.template.spec",
        "ReplicaSet": "spec.template.spec",
        "StatefulSet": "spec.template.spec",
        "DaemonSet": "spec.template.spec",
        "Job": "spec.template.spec",
        "CronJob": "spec.jobTemplate.spec.template.spec",
    ]

    /// Lists of particular kinds, beyond their pod templates.
    static let kindLists: [String: [String: ListType]] = [
        "Service": ["spec.ports": .map(keys: ["port", "protocol"]), "spec.ipFamilies": .atomic, "spec.clusterIPs": .atomic],
        "ServiceAccount": ["secrets": .map(keys: ["name"]), "imagePullSecrets": .atomic],
        "NetworkPolicy": ["spec.ingress": .atomic, "spec.egress": .atomic, "spec.policyTypes": .atomic],
        "Role": ["rules": .atomic],
        "ClusterRole": ["rules": .atomic, "aggregationRule.clusterRoleSelectors": .atomic],
        "RoleBinding": ["subjects": .atomic],
        "ClusterRoleBinding": ["subjects": .atomic],
        "MutatingWebhookConfiguration": ["webhooks": .map(keys: ["name"])],
        "ValidatingWebhookConfiguration": ["webhooks": .map(keys: ["name"])],
        // `+listType=atomic` on CustomResourceDefinitionSpec.Versions: a CRD's versions are replaced whole.
        "CustomResourceDefinition": ["spec.versions": .atomic],
        "StatefulSet": ["spec.volumeClaimTemplates": .atomic],
        "Ingress": ["spec.rules": .atomic, "spec.tls": .atomic],
        "PersistentVolumeClaim": ["spec.accessModes": .atomic],
        "PersistentVolume": ["spec.accessModes": .atomic, "spec.mountOptions": .atomic],
        "HorizontalPodAutoscaler": ["spec.metrics": .atomic],
    ]

    /// Lists every kind has: its metadata's, and status conditions keyed by `type` (the `+listMapKey=type` convention
    /// of built-in statuses).
    static let everyKind: [String: ListType] = {
        var rules: [String: ListType] = ["status.conditions": .map(keys: ["type"])]
        for (path, type) in metadata { rules["metadata." + path] = type }
        return rules
    }()

    static let table: [String: [String: ListType]] = {
        var table = kindLists
        for (kind, specPath) in podSpecPaths {
            var rules = table[kind] ?? [:]
            for (path, type) in podSpec { rules[specPath + "." + path] = type }
            // The template's own metadata: `spec.template.metadata` beside `spec.template.spec`.
            let templateMetadata = specPath == "spec" ? nil : String(specPath.dropLast("spec".count)) + "metadata"
            for (path, type) in metadata { if let templateMetadata { rules[templateMetadata + "." + path] = type } }
            table[kind] = rules
        }
        return table
    }()

    static let atomicMaps: [String: Set<String>] = {
        var maps: [String: Set<String>] = [
            "Deployment": ["spec.selector"], "ReplicaSet": ["spec.selector"], "StatefulSet": ["spec.selector"],
            "DaemonSet": ["spec.selector"], "Job": ["spec.selector"], "PodDisruptionBudget": ["spec.selector"],
            "NetworkPolicy": ["spec.podSelector"], "PersistentVolumeClaim": ["spec.selector"],
        ]
        let envSources = ["secretKeyRef", "configMapKeyRef", "fieldRef", "resourceFieldRef"].map { "env.valueFrom." + $0 }
        for (kind, specPath) in podSpecPaths {
            for list in ["containers", "initContainers", "ephemeralContainers"] {
                for source in envSources { maps[kind, default: []].insert("\(specPath).\(list).\(source)") }
            }
        }
        return maps
    }()
}
