import Manifests
import Platform
import Schema

/// The node-pool rules: labels and counts, platform capacity against the sizing plan, and taints.
enum NodeRules {
    static let poolLabel = "dominodatalab.com/node-pool"
    static let gpuLabel = "nvidia.com/gpu"

    /// The pools of `cluster-requirements.txt`: its label value, and what the platform needs of it.
    enum Pool: String, CaseIterable {
        case platform, `default`, gpu = "default-gpu"
    }

    static func nodes(_ input: PreflightInput, in pool: Pool) -> [JSONValue] {
        (input.facts.nodes.value ?? []).filter { $0.label(poolLabel) == pool.rawValue }.sorted { $0.name < $1.name }
    }

    /// The platform pool holds the profile's node count (not needed on a data plane, which runs only compute); the
    /// default pool at least one node; GPU nodes are optional but must carry both labels the docs give them.
    static func pools(_ input: PreflightInput) -> [Finding] {
        if let unreadable = input.facts.nodes.unreadableFinding { return [unreadable] }
        var findings: [Finding] = []
        let platform = nodes(input, in: .platform), want = input.sizing.profile.nodes
        if input.config.isDataPlaneOnly {
            findings.append(.pass("platform pool: not needed on a data plane (\(platform.count) node(s) labelled \(poolLabel)=platform)"))
        } else if platform.count >= want {
            findings.append(.pass("platform pool: \(platform.count) node(s) labelled \(poolLabel)=platform (the \(input.sizing.profile.name) profile needs \(want))"))
        } else {
            findings.append(.fail("platform pool: \(platform.count) node(s) labelled \(poolLabel)=platform; the \(input.sizing.profile.name) profile needs \(want)",
                                  "label \(want - platform.count) more node(s) `\(poolLabel)=platform`, or let the pool's autoscaler reach \(want)"))
        }
        let compute = nodes(input, in: .default)
        findings.append(compute.isEmpty
            ? .fail("default pool: no node labelled \(poolLabel)=default: executions and image builds have nowhere to run",
                    "label the compute nodes `\(poolLabel)=default` (and `domino/build-node=true`)")
            : .pass("default pool: \(compute.count) node(s) labelled \(poolLabel)=default"))
        let gpu = nodes(input, in: .gpu)
        let unlabelled = gpu.filter { $0.label(gpuLabel) != "true" }.map(\.name)
        if gpu.isEmpty {
            findings.append(.pass("GPU pool: none (optional; its recommended minimum is 0)"))
        } else if !unlabelled.isEmpty {
            findings.append(.warn("GPU pool: \(unlabelled.joined(separator: ", ")) labelled \(poolLabel)=default-gpu but not \(gpuLabel)=true",
                                  "label them `\(gpuLabel)=true`: GPU workloads select that label"))
        } else {
            findings.append(.pass("GPU pool: \(gpu.count) node(s) labelled \(poolLabel)=default-gpu and \(gpuLabel)=true"))
        }
        return findings
    }

    /// `kiln size`'s fit on the real nodes: the platform's requests (DaemonSets on each node included) against the
    /// sum of the platform nodes' allocatable CPU and memory.
    static func capacity(_ input: PreflightInput) -> [Finding] {
        if let unreadable = input.facts.nodes.unreadableFinding { return [unreadable] }
        if input.config.isDataPlaneOnly { return [.pass("not needed on a data plane")] }
        let fit = input.sizing.fit
        guard fit.checked else { return [.pass("not checked: request_resources is false, so nothing requests resources")] }
        let platform = nodes(input, in: .platform)
        guard !platform.isEmpty else { return [.fail("no platform nodes to hold \(fit.requested.cpu) CPU and \(fit.requested.memory)",
                                                     "add the platform pool (see node-pools)")] }
        let allocatable = platform.reduce(ResourceAmounts.zero) { total, node in
            let a = node["status"]?["allocatable"]
            return total + ResourceAmounts(cpu: CPU(a?["cpu"]?.stringValue ?? "0") ?? .zero, memory: Memory(a?["memory"]?.stringValue ?? "0") ?? .zero)
        }
        let found = "requests \(fit.requested.cpu) CPU, \(fit.requested.memory); \(platform.count) platform node(s) allocate "
            + "\(allocatable.cpu) CPU, \(allocatable.memory)"
        if fit.requested.cpu <= allocatable.cpu, fit.requested.memory <= allocatable.memory { return [.pass(found)] }
        let short = [fit.requested.cpu > allocatable.cpu ? "CPU" : nil, fit.requested.memory > allocatable.memory ? "memory" : nil]
            .compactMap { $0 }.joined(separator: " and ")
        return [.fail(found + " (short of \(short))",
                      "add platform nodes or larger ones (`kiln size` shows the plan), or choose a smaller sizing.profile")]
    }

    /// Taints with a scheduling effect on platform and compute nodes that some pod bound for that pool does not
    /// tolerate: on the platform pool those pods never start (fail); on the compute pool executions may not (warn).
    static func taints(_ input: PreflightInput) -> [Finding] {
        if let unreadable = input.facts.nodes.unreadableFinding { return [unreadable] }
        var findings: [Finding] = []
        for pool in [Pool.platform, .default] {
            let pods = podSpecs(input.result).filter { $0["nodeSelector"]?[poolLabel]?.stringValue == pool.rawValue }
            var untolerated: [String] = []
            for node in nodes(input, in: pool) {
                for taint in node["spec"]?["taints"]?.arrayValue ?? [] {
                    let effect = taint["effect"]?.stringValue ?? ""
                    guard effect == "NoSchedule" || effect == "NoExecute" else { continue }
                    // Conditions the node controller sets (not-ready, unreachable) come and go; they are not the pool's design.
                    guard !(taint["key"]?.stringValue ?? "").hasPrefix("node.kubernetes.io/") else { continue }
                    if pods.contains(where: { !tolerates($0, taint) }) {
                        untolerated.append("\(node.name): \(taint["key"]?.stringValue ?? "")\(taint["value"]?.stringValue.map { "=\($0)" } ?? ""):\(effect)")
                    }
                }
            }
            if untolerated.isEmpty {
                findings.append(.pass("\(pool.rawValue) pool: no taint the platform does not tolerate"))
            } else if pool == .platform {
                findings.append(.fail("platform pool: " + untolerated.joined(separator: "; "),
                                      "remove the taint(s) from the platform nodes (kubectl taint nodes NODE KEY-): the platform's pods do not tolerate them"))
            } else {
                findings.append(.warn("default pool: " + untolerated.joined(separator: "; "),
                                      "remove the taint(s), or give the hardware tiers that run there matching tolerations"))
            }
        }
        return findings
    }

    /// The pod specs of every rendered workload.
    static func podSpecs(_ result: RenderResult) -> [JSONValue] {
        result.objects.compactMap { object -> JSONValue? in
            let json = object.json
            return json["spec"]?["template"]?["spec"] ?? json["spec"]?["jobTemplate"]?["spec"]?["template"]?["spec"]
        }
    }

    /// Kubernetes' toleration match: an empty key with Exists tolerates everything; else the keys match, the values
    /// match (or Exists), and the effect matches (or the toleration names none).
    static func tolerates(_ pod: JSONValue, _ taint: JSONValue) -> Bool {
        (pod["tolerations"]?.arrayValue ?? []).contains { t in
            let op = t["operator"]?.stringValue ?? "Equal"
            let key = t["key"]?.stringValue ?? ""
            if key.isEmpty { return op == "Exists" }
            guard key == taint["key"]?.stringValue else { return false }
            if op != "Exists", (t["value"]?.stringValue ?? "") != (taint["value"]?.stringValue ?? "") { return false }
            let effect = t["effect"]?.stringValue ?? ""
            return effect.isEmpty || effect == taint["effect"]?.stringValue
        }
    }
}
