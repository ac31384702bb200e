import Foundation
import Manifests
import Schema
import Testing

/// The rendered network policies, evaluated as a CNI would (`Connectivity`): a connection is open when the source's
/// policies let it out and the destination's let it in. The pods are those the render creates, labelled as their
/// templates label them, plus the ones the docs describe: executions, cluster DNS, an outside address.
struct NetworkPolicyTests {
    /// A job, a workspace, an app (`run-*`, labelled by type) and an endpoint (`model-*`, which has no type label but
    /// `datasource-proxy-client=true`), as admin_guide/domino-infrastructure/manage-compute-resources/nodes-and-node-pools/remove-node-from-service.txt
    /// and admin_guide/troubleshooting/model-api-issues.txt show them.
    static func executions(_ namespace: String = "domino-compute") -> [Connectivity.Pod] {
        ["Batch", "Workspace", "App"].map { Connectivity.Pod(namespace, ["dominodatalab.com/workload-type": $0]) }
            + [Connectivity.Pod(namespace, ["datasource-proxy-client": "true"])]
    }

    /// admin_guide/installation/manage-deployments/openshift.txt (network plugin), remove-node-from-service.txt:
    /// executions reach the services they call, and nothing the platform keeps to itself.
    @Test func executionsReachTheServicesTheyCall() throws {
        let net = Connectivity(render("eks.yaml"))
        let services: [(String, Int)] = [("nucleus-frontend", 8080), ("nginx-ingress-controller", 443), ("keycloak", 8080), ("vault", 8200),
                                         ("rabbitmq-ha-311", 5672), ("rabbitmq-ha-311", 5552), ("docker-registry", 5000), ("git", 8080),
                                         ("datasource-proxy", 8080), ("mlflow", 5000), ("data-plane-agent", 8080)]
        for execution in Self.executions() {
            for (workload, port) in services {
                let target = try #require(net.pod(workload), "\(workload)")
                #expect(net.allows(execution, to: .pod(target), port: port), "\(execution.labels) → \(workload):\(port)")
            }
            // Data sources, package indexes and Git providers outside the cluster; not the cloud's instance metadata.
            #expect(net.allows(execution, to: .address("203.0.113.10"), port: 5432))
            #expect(!net.allows(execution, to: .address("169.254.169.254"), port: 80))
            // The databases stay the platform's own.
            #expect(!net.allows(execution, to: .pod(try #require(net.pod("mongodb-replicaset"))), port: 27017))
        }
    }

    /// Workspaces and apps are served at the platform's hostname through the ingress controller
    /// (user_guide/workspaces/run-multiple-apps-in-a-workspace.txt: nginx on 80, apps on 8888), endpoints answer on
    /// 8080 (model-api-issues.txt), and the nodes of an on-demand cluster talk to each other.
    @Test func theRoutesIntoExecutionsAreOpen() throws {
        let net = Connectivity(render("eks.yaml"))
        let controller = try #require(net.pod("nginx-ingress-controller"))
        let agent = try #require(net.pod("data-plane-agent"))
        let (job, workspace, model) = (Self.executions()[0], Self.executions()[1], Self.executions()[3])
        #expect(net.allows(controller, to: .pod(workspace), port: 80))
        #expect(net.allows(controller, to: .pod(model), port: 8080))
        #expect(net.allows(agent, to: .pod(job), port: 9000))
        #expect(net.allows(job, to: .pod(workspace), port: 7077))
        // Platform services that do not serve users still do not reach them.
        #expect(!net.allows(try #require(net.pod("mongodb-replicaset")), to: .pod(workspace), port: 80))
    }

    /// admin_guide/platform-management/manage-data-planes/enable-data-plane.txt: on a remote data plane the workspace
    /// load balancer reaches the auth proxy, which reaches the workspaces.
    @Test func onARemoteDataPlaneTheAuthProxyReachesWorkspaces() throws {
        let result = render("data-plane.yaml")
        let net = Connectivity(result)
        let proxy = try #require(net.pod("auth-proxy"))
        let workspace = Self.executions(proxy.namespace)[1]
        #expect(net.allows(proxy, to: .pod(workspace), port: 80))
        #expect(net.allows(workspace, to: .pod(try #require(net.pod("data-plane-agent"))), port: 8080))
    }

    /// admin_guide/operations/monitoring/index.txt: Prometheus scrapes the platform's components, on the ports they
    /// serve; nobody else gains that access.
    @Test func prometheusScrapesEveryPortThePlatformServes() throws {
        let result = render("eks.yaml")
        let net = Connectivity(result)
        let prometheus = try #require(net.pod("prometheus-server"))
        var checked = 0
        for (name, pod, ports) in net.served where name != "prometheus-server" {
            for port in ports {
                #expect(net.allows(prometheus, to: .pod(pod), port: port), "prometheus → \(name):\(port)")
                checked += 1
            }
        }
        #expect(checked > 30)
        #expect(!net.allows(prometheus, to: .pod(try #require(net.pod("git"))), port: 9999))
        #expect(!net.allows(try #require(net.pod("grafana")), to: .pod(try #require(net.pod("git"))), port: 8080))
    }

    /// admin_guide/installation/manage-deployments/openshift.txt: OpenShift's DNS pods run in `openshift-dns` and
    /// listen on 5353; elsewhere cluster DNS is kube-system's on 53.
    @Test func dnsIsReachableWhereTheClusterRunsIt() throws {
        let openShiftDNS = Connectivity.Pod("openshift-dns", ["dns.operator.openshift.io/daemonset-dns": "default"])
        let kubeDNS = Connectivity.Pod("kube-system", ["k8s-app": "kube-dns"])
        let openShift = Connectivity(render("openshift.yaml"))
        for pod in [Self.executions()[0], try #require(openShift.pod("nucleus-frontend")), try #require(openShift.pod("cert-manager"))] {
            #expect(openShift.allows(pod, to: .pod(openShiftDNS), port: 5353, protocol: "UDP"))
            #expect(openShift.allows(pod, to: .pod(openShiftDNS), port: 5353))
        }
        let plain = Connectivity(render("openshift.yaml", sets: ["openshift=false"]))
        #expect(!plain.allows(try #require(plain.pod("nucleus-frontend")), to: .pod(openShiftDNS), port: 5353, protocol: "UDP"))
        #expect(plain.allows(try #require(plain.pod("nucleus-frontend")), to: .pod(kubeDNS), port: 53, protocol: "UDP"))
    }
}

/// NetworkPolicy semantics (networking.k8s.io/v1) over a render: a pod is isolated in a direction once a policy of
/// that type selects it; then only the rules of the policies selecting it let traffic through. `ipBlock` is taken to
/// match addresses outside the cluster only, the least a CNI promises.
struct Connectivity: CustomTestStringConvertible {
    struct Pod: CustomStringConvertible {
        let namespace: String
        let labels: [String: String]
        init(_ namespace: String, _ labels: [String: String]) {
            self.namespace = namespace
            self.labels = labels
        }
        var description: String { "\(namespace)/\(labels)" }
    }

    enum Destination {
        case pod(Pod)
        case address(String)
    }

    let policies: [ManifestObject]
    /// The rendered workloads' pods by workload name, with the ports their containers serve.
    let served: [(name: String, pod: Pod, ports: [Int])]

    init(_ result: RenderResult) {
        policies = result.objects.filter { $0.kind == "NetworkPolicy" }
        served = result.objects.compactMap { object in
            guard ["Deployment", "StatefulSet", "DaemonSet"].contains(object.kind), let ns = object.namespace,
                  let labels = object.json.at("spec.template.metadata.labels")?.objectValue else { return nil }
            let ports = (object.json.at("spec.template.spec.containers")?.arrayValue ?? [])
                .flatMap { $0["ports"]?.arrayValue ?? [] }.compactMap { $0["containerPort"]?.numberValue.map { Int($0) } }
            return (object.name, Pod(ns, Dictionary(uniqueKeysWithValues: labels.compactMap { k, v in v.stringValue.map { (k, $0) } })), ports)
        }
    }

    /// Failures name the pods and ports, not every policy.
    var testDescription: String { "the render's \(policies.count) network policies" }

    func pod(_ workload: String) -> Pod? { served.first { $0.name == workload }?.pod }

    func allows(_ source: Pod, to destination: Destination, port: Int, protocol proto: String = "TCP") -> Bool {
        let out = policies(selecting: source, type: "Egress")
        let leaves = out.isEmpty || out.contains { policy in
            (policy.json.at("spec.egress")?.arrayValue ?? []).contains { rule in
                matches(ports: rule["ports"], port, proto) && (rule["to"].map { peers($0, policy, destination) } ?? true)
            }
        }
        guard leaves else { return false }
        guard case .pod(let target) = destination else { return true }
        let into = policies(selecting: target, type: "Ingress")
        return into.isEmpty || into.contains { policy in
            (policy.json.at("spec.ingress")?.arrayValue ?? []).contains { rule in
                matches(ports: rule["ports"], port, proto) && (rule["from"].map { peers($0, policy, .pod(source)) } ?? true)
            }
        }
    }

    func policies(selecting pod: Pod, type: String) -> [ManifestObject] {
        policies.filter { policy in
            policy.namespace == pod.namespace && selects(policy.json.at("spec.podSelector"), pod.labels)
                && (policy.json.at("spec.policyTypes")?.arrayValue ?? []).contains(.string(type))
        }
    }

    func peers(_ list: JSONValue, _ policy: ManifestObject, _ other: Destination) -> Bool {
        (list.arrayValue ?? []).contains { peer in
            switch other {
            case .address(let ip):
                guard let block = peer["ipBlock"], let cidr = block["cidr"]?.stringValue else { return false }
                return Self.contains(cidr, ip) && !(block["except"]?.arrayValue ?? []).contains { Self.contains($0.stringValue ?? "", ip) }
            case .pod(let pod):
                if peer["ipBlock"] != nil { return false }
                let namespaces = peer["namespaceSelector"]
                let inNamespace = namespaces.map { selects($0, ["kubernetes.io/metadata.name": pod.namespace]) } ?? (pod.namespace == policy.namespace)
                return inNamespace && (peer["podSelector"].map { selects($0, pod.labels) } ?? true)
            }
        }
    }

    func selects(_ selector: JSONValue?, _ labels: [String: String]) -> Bool {
        guard let selector else { return false }
        let equal = (selector["matchLabels"]?.objectValue ?? []).allSatisfy { labels[$0.0] == $0.1.stringValue }
        return equal && (selector["matchExpressions"]?.arrayValue ?? []).allSatisfy { e in
            let key = e["key"]?.stringValue ?? "", values = (e["values"]?.arrayValue ?? []).compactMap(\.stringValue)
            switch e["operator"]?.stringValue {
            case "Exists": return labels[key] != nil
            case "DoesNotExist": return labels[key] == nil
            case "In": return labels[key].map(values.contains) ?? false
            case "NotIn": return !(labels[key].map(values.contains) ?? false)
            default: return false
            }
        }
    }

    func matches(ports: JSONValue?, _ port: Int, _ proto: String) -> Bool {
        guard let list = ports?.arrayValue else { return true }
        return list.contains { ($0["protocol"]?.stringValue ?? "TCP") == proto && $0["port"]?.numberValue == Double(port) }
    }

    static func contains(_ cidr: String, _ ip: String) -> Bool {
        let parts = cidr.split(separator: "/")
        guard let base = address(String(parts[0])), let target = address(ip) else { return false }
        let bits = parts.count > 1 ? Int(parts[1]) ?? 32 : 32
        let mask: UInt32 = bits == 0 ? 0 : ~UInt32(0) << (32 - bits)
        return base & mask == target & mask
    }

    static func address(_ text: String) -> UInt32? {
        let octets = text.split(separator: ".").compactMap { UInt32($0) }
        return octets.count == 4 ? octets.reduce(0) { $0 << 8 | $1 } : nil
    }
}
