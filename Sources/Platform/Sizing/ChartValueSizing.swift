import Config
import Schema

/// Sizes a user gives a release directly, in its `chart_values`, as Helm charts take them: `replicaCount` and
/// `resources` (for the ingress controller under `controller.`, for the data-plane agent under `agent.deployment.`).
/// They win over the profile.
struct ChartValueSizing {
    struct Override {
        var requests: ResourceAmounts?
        var limits: ResourceAmounts?
    }

    let values: Instance?
    let release: String

    init(_ config: ConfigView, release: String) {
        self.release = release
        values = config.root.value(at: KeyPath([.key("release_overrides"), .key(release), .key("chart_values")]))
    }

    var replicaCount: Int? {
        for path in [["replicaCount"], ["controller", "replicaCount"]] {
            if let n = value(path)?.text.flatMap(Int.init) { return n }
        }
        return nil
    }

    /// `resources` for workload `name`: the agent's block applies to the data-plane agent only.
    func resources(for name: String) -> Override? {
        let paths = name == "data-plane-agent" ? [["agent", "deployment", "resources"], ["resources"]]
            : [["resources"], ["controller", "resources"]]
        for path in paths {
            guard let block = value(path) else { continue }
            return Override(requests: amounts(block["requests"]), limits: amounts(block["limits"]))
        }
        return nil
    }

    /// Whether the values set limits anywhere (a database must not have them).
    var setsLimits: Bool {
        [["resources", "limits"], ["controller", "resources", "limits"], ["agent", "deployment", "resources", "limits"]]
            .contains { value($0) != nil }
    }

    private func value(_ path: [String]) -> Instance? {
        values?.value(at: KeyPath(path.map { .key($0) }))
    }

    private func amounts(_ block: Instance?) -> ResourceAmounts? {
        guard let block else { return nil }
        let cpu = block["cpu"]?.text.flatMap(CPU.init)
        let memory = block["memory"]?.text.flatMap(Memory.init)
        guard cpu != nil || memory != nil else { return nil }
        return ResourceAmounts(cpu: cpu ?? .zero, memory: memory ?? .zero)
    }
}
