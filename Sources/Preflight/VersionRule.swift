/// The server's Kubernetes minor against the support matrix: a control plane against its provider's row for the
/// config's platform version; a data plane against the Nexus data-plane minimum.
enum VersionRule {
    static func evaluate(_ input: PreflightInput) -> [Finding] {
        let server = input.facts.version
        let platform = input.config.string(.version) ?? ""
        if input.config.isDataPlaneOnly {
            let minimum = SupportMatrix.dataPlaneMinimum
            let found = "Kubernetes \(server) on a data plane (platform \(platform)); the minimum is \(minimum.kubernetes) "
                + "(the page's newest column, control plane \(minimum.column), non-vCluster)"
            return SupportMatrix.minorLess(server.minorVersion, minimum.kubernetes)
                ? [.fail(found, "upgrade the data plane's cluster to Kubernetes \(minimum.kubernetes) or later")] : [.pass(found)]
        }
        guard let provider = SupportMatrix.provider(input.config) else {
            return [.warn("Kubernetes \(server); the config names no provider the matrix lists (EKS, AKS, GKE, OpenShift)",
                          "check \(server.minorVersion) against the provider you run, or set `preset`")]
        }
        let validated = SupportMatrix.validated(provider, platform: platform)
        let found = "Kubernetes \(server) on \(provider.rawValue); platform \(platform) is validated on \(validated.isEmpty ? "none" : validated.joined(separator: ", "))"
        if validated.contains(server.minorVersion) { return [.pass(found)] }
        if let gate = SupportMatrix.gated(provider, platform: platform).first(where: { $0.kubernetes == server.minorVersion }) {
            return [.fail(found + " (\(gate.kubernetes) only from \(gate.from))", "set `version: \(gate.from)` or later, or run Kubernetes \(validated.last ?? "")")]
        }
        let newer = validated.allSatisfy { SupportMatrix.minorLess($0, server.minorVersion) }
        return [.fail(found, newer
            ? "the cluster is newer than the platform supports: upgrade the platform first (`kiln upgrade plan`) or use a supported cluster"
            : "upgrade the cluster to \(validated.first ?? "a validated version"), one minor version at a time")]
    }
}
