import Config
import Platform
import Schema

/// istio: istiod labelled `app=istiod` (the docs restart it with `kubectl rollout restart … -l app=istiod`,
/// admin_guide/security-and-compliance/…), the CNI node agent when `istio.cni` (installer-configuration page: without
/// it every pod needs NET_ADMIN and NET_RAW), and the FIPS build of Istio when `fips` (the FIPS section: "setting
/// `fips=true` and `istio.install=true`" installs a FIPS-enabled Istio).
enum IstioHook {
    static let cniAgent = "istio-cni-node"

    static let hook = ReleaseHook(pod: { workload, pod, ctx in
        guard workload == "istiod" else { return }
        pod.labels["app"] = "istiod"
        pod.labels["istio"] = "pilot"
        if ctx.config.bool(.fips) { pod.containers[0].image += "-fips" }
    }, objects: objects)

    /// Istio's resource kinds, by group (the ones istiod serves in 1.23).
    static let kinds: [(group: String, kinds: [(String, String)], versions: [String])] = [
        ("networking.istio.io", [("VirtualService", "virtualservices"), ("DestinationRule", "destinationrules"),
                                 ("Gateway", "gateways"), ("ServiceEntry", "serviceentries"), ("Sidecar", "sidecars"),
                                 ("EnvoyFilter", "envoyfilters"), ("WorkloadEntry", "workloadentries"),
                                 ("WorkloadGroup", "workloadgroups"), ("ProxyConfig", "proxyconfigs")], ["v1alpha3", "v1beta1", "v1"]),
        ("security.istio.io", [("PeerAuthentication", "peerauthentications"), ("AuthorizationPolicy", "authorizationpolicies"),
                               ("RequestAuthentication", "requestauthentications")], ["v1beta1", "v1"]),
        ("telemetry.istio.io", [("Telemetry", "telemetries")], ["v1alpha1", "v1"]),
        ("extensions.istio.io", [("WasmPlugin", "wasmplugins")], ["v1alpha1"]),
    ]

    /// The kinds, the sidecar injector (pods in namespaces labelled `istio-injection: enabled`) and the validator of
    /// Istio's own resources; istiod writes their CA bundles itself.
    static func control(_ namespace: String, _ ctx: RenderContext) -> [ManifestObject] {
        var out: [ManifestObject] = []
        for group in kinds {
            for (kind, plural) in group.kinds {
                out.append(ExtensionObjects.crd(group: group.group, kind: kind, plural: plural, versions: group.versions,
                                                labels: ctx.labels("istio", "\(plural).\(group.group)"), release: "istio"))
            }
        }
        let istiod = (namespace: namespace, name: "istiod", port: 15017)
        let injection: JSONValue = .object([("matchLabels", .object([("istio-injection", .string("enabled"))]))])
        let notOptedOut: JSONValue = .object([("matchExpressions", .array([.object([
            ("key", .string("sidecar.istio.io/inject")), ("operator", .string("NotIn")), ("values", .array([.string("false")])),
        ])]))])
        out.append(ExtensionObjects.webhook(mutating: true, name: "istio-sidecar-injector", webhook: "sidecar-injector.istio.io",
                                            service: istiod, path: "/inject",
                                            rules: [.init(groups: [""], versions: ["v1"], resources: ["pods"], operations: ["CREATE"])],
                                            namespaceSelector: injection, objectSelector: notOptedOut,
                                            labels: ctx.labels("istio", "istio-sidecar-injector"), release: "istio"))
        // Ignore while istiod starts, as Istio's own validator does: a config edit is not worth blocking on it.
        out.append(ExtensionObjects.webhook(mutating: false, name: "istio-validator-\(namespace)", webhook: "validation.istio.io",
                                            service: istiod, path: "/validate",
                                            rules: [.init(groups: kinds.map(\.group))], failurePolicy: "Ignore",
                                            labels: ctx.labels("istio", "istio-validator-\(namespace)"), release: "istio"))
        return out
    }

    static func objects(_ namespace: String, _ ctx: inout RenderContext) -> [ManifestObject] {
        let control = control(namespace, ctx)
        guard ctx.config.bool(.istioCni) else { return control }
        var container = PodTemplate.Container(name: "install-cni", image: ctx.image(.mirrored("istio.install-cni", "1.23.4")))
        if ctx.config.bool(.fips) { container.image += "-fips" }
        container.privileged = true
        container.requests = ("100m", "100Mi")
        container.env = [("CNI_NET_DIR", "/etc/cni/net.d"), ("CHAINED_CNI_PLUGIN", "true")]
        container.mounts = [(name: "cni-bin-dir", path: "/host/opt/cni/bin", readOnly: false),
                            (name: "cni-net-dir", path: "/host/etc/cni/net.d", readOnly: false)]
        let selector = ObjectLabels.selector(release: "istio", name: cniAgent)
        var pod = PodTemplate(labels: selector.merging(["k8s-app": cniAgent]) { a, _ in a }, serviceAccount: "istio",
                              containers: [container])
        pod.volumes = [hostPath("cni-bin-dir", "/opt/cni/bin"), hostPath("cni-net-dir", "/etc/cni/net.d")]
        pod.tolerations = [.object([("operator", .string("Exists"))])]
        pod.priorityClass = "system-node-critical"
        return control + [WorkloadObjects.daemonSet(cniAgent, namespace: namespace, labels: ctx.labels("istio", cniAgent),
                                                    selector: selector, pod: pod, release: "istio")]
    }

    static func hostPath(_ name: String, _ path: String) -> JSONValue {
        .object([("name", .string(name)), ("hostPath", .object([("path", .string(path))]))])
    }
}
