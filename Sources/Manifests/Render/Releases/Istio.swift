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

    static func objects(_ namespace: String, _ ctx: inout RenderContext) -> [ManifestObject] {
        guard ctx.config.bool(.istioCni) else { return [] }
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
        return [WorkloadObjects.daemonSet(cniAgent, namespace: namespace, labels: ctx.labels("istio", cniAgent), selector: selector,
                                          pod: pod, release: "istio")]
    }

    static func hostPath(_ name: String, _ path: String) -> JSONValue {
        .object([("name", .string(name)), ("hostPath", .object([("path", .string(path))]))])
    }
}
