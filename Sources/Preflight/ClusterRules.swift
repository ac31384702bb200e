import Config
import Manifests
import Schema

/// The rules about what else the cluster holds: the CNI, cert-manager, namespaces, served kinds, permissions and
/// (offline) the private registry.
enum ClusterRules {
    /// kube-system DaemonSet names (or their prefix) → CNI, and whether it enforces NetworkPolicy.
    static let cnis: [(prefix: String, name: String, enforces: Bool)] = [
        ("calico-node", "Calico", true), ("cilium", "Cilium", true), ("anetd", "GKE Dataplane V2 (Cilium)", true),
        ("antrea-agent", "Antrea", true), ("weave-net", "Weave Net", true), ("kube-router", "kube-router", true),
        ("canal", "Canal", true), ("azure-npm", "Azure Network Policy Manager", true),
        ("calico-typha", "Calico", true), ("kube-flannel", "Flannel", false), ("kindnet", "kindnet", false),
        // Without its network policy agent container (checked first), the AWS VPC CNI only routes.
        ("aws-node", "AWS VPC CNI without its network policy agent", false),
    ]

    static func networkPolicy(_ input: PreflightInput) -> [Finding] {
        guard input.config.bool(.enableNetworkPolicies) else { return [.pass("not needed: enable_network_policies is false")] }
        if input.config.bool(.openshift) { return [.pass("OpenShift's SDN enforces NetworkPolicy")] }
        if let unreadable = input.facts.systemDaemonSets.unreadableFinding { return [unreadable] }
        let daemonSets = (input.facts.systemDaemonSets.value ?? []).sorted { $0.name < $1.name }
        // The AWS VPC CNI enforces policies only with its network policy agent container (VPC CNI 1.14 and later).
        if let awsNode = daemonSets.first(where: { $0.name == "aws-node" }) {
            let containers = (awsNode["spec"]?["template"]?["spec"]?["containers"]?.arrayValue ?? []).map(\.containerName)
            if containers.contains("aws-network-policy-agent") { return [.pass("AWS VPC CNI with its network policy agent enforces NetworkPolicy")] }
        }
        let found = daemonSets.compactMap { ds in cnis.first { ds.name.hasPrefix($0.prefix) } }
        if let enforcing = found.first(where: \.enforces) { return [.pass("\(enforcing.name) (kube-system) enforces NetworkPolicy")] }
        if let other = found.first {
            return [.fail("\(other.name) does not enforce NetworkPolicy, and enable_network_policies is true",
                          "install a policy engine (Calico on EKS and AKS; enable enforcement on GKE), or set enable_network_policies: false")]
        }
        return [.warn("no CNI kiln knows runs in kube-system, so whether NetworkPolicy is enforced is unknown",
                      "check that the cluster's CNI enforces NetworkPolicy: the platform relies on it")]
    }

    static let certificateCRD = "certificates.cert-manager.io"

    static func certManager(_ input: PreflightInput) -> [Finding] {
        if let unreadable = input.facts.crds.unreadableFinding { return [unreadable] }
        let crd = (input.facts.crds.value ?? []).first { $0.name == certificateCRD }
        let installs = input.config.bool(.certificateManagementInstall)
        switch (installs, crd) {
        case (true, nil): return [.pass("kiln installs cert-manager, and the cluster has none")]
        case (true, let crd?) where input.isKilns(crd): return [.pass("kiln installs cert-manager, and the one there is kiln's")]
        case (true, let crd?):
            return [.fail("cert-manager is already installed (CRD \(certificateCRD)\(owner(crd).map { ", managed by \($0)" } ?? "")), and "
                          + "certificate_management.install is true: only one cert-manager can run in a cluster",
                          "set certificate_management.install: false to use the cluster's cert-manager")]
        case (false, nil):
            return [.fail("certificate_management.install is false, and the cluster has no cert-manager (no CRD \(certificateCRD))",
                          "install cert-manager first, or set certificate_management.install: true")]
        case (false, _?): return [.pass("certificate_management.install is false, and the cluster's cert-manager is there")]
        }
    }

    /// The tool another object says manages it: Helm's annotations, `managed-by`, or another ApplySet.
    static func owner(_ object: JSONValue) -> String? {
        if let release = object.annotation(HelmOwnership.releaseName) {
            return "Helm release \(object.annotation(HelmOwnership.releaseNamespace).map { "\($0)/" } ?? "")\(release)"
        }
        if let tool = object.label("app.kubernetes.io/managed-by"), tool != "kiln" { return tool }
        if let set = object.label("applyset.kubernetes.io/part-of") { return "ApplySet \(set)" }
        return nil
    }

    /// A namespace the render creates that exists already: kiln's passes, an unmarked one passes (kiln will manage
    /// it), a Helm release's warns (`kiln adopt` takes it over), any other tool's fails.
    static func namespaces(_ input: PreflightInput) -> [Finding] {
        if let unreadable = input.facts.namespaces.unreadableFinding { return [unreadable] }
        let live = Dictionary((input.facts.namespaces.value ?? []).map { ($0.name, $0) }) { a, _ in a }
        return input.rendered("Namespace").sorted { $0.name < $1.name }.map { namespace in
            guard let existing = live[namespace.name] else { return .pass("\(namespace.name): free (kiln creates it)") }
            if input.isKilns(existing) { return .pass("\(namespace.name): kiln's") }
            guard let owner = owner(existing) else { return .pass("\(namespace.name): exists, created outside kiln; kiln will manage it") }
            if HelmOwnership.isHelmManaged(existing) {
                return .warn("\(namespace.name): belongs to \(owner)", "`kiln adopt` (or `kiln apply --adopt`) takes it over from Helm")
            }
            return .fail("\(namespace.name): belongs to \(owner)",
                         "choose another name in `namespaces`, or remove it from \(owner) before kiln manages it")
        }
    }

    static func apiGroups(_ input: PreflightInput) -> [Finding] {
        let unserved = input.facts.unservedKinds
        guard !unserved.isEmpty else { return [.pass("the server serves every kind the render holds")] }
        return [.fail("not served: " + unserved.joined(separator: ", "),
                      "install what serves them (their CRDs or API extensions), or turn off the releases that need them")]
    }

    static func permissions(_ input: PreflightInput) -> [Finding] {
        switch input.facts.deniedAccess {
        case .unreadable(let why):
            return [.warn("could not ask the server (SelfSubjectAccessReview): \(why)", "check the user's RBAC by hand (kubectl auth can-i)")]
        case .known(let denied) where denied.isEmpty:
            return [.pass("every verb kiln uses is allowed on every kind it applies")]
        case .known(let denied):
            return [.fail("\(denied.count) missing: " + denied.prefix(12).joined(separator: ", ") + (denied.count > 12 ? ", …" : ""),
                          "grant the user these rights (a ClusterRole bound to it), or run kiln as a cluster admin")]
        }
    }

    static func registry(_ input: PreflightInput) -> [Finding] {
        guard let registry = input.config.filled(.offlineImageRegistry) else { return [.pass("not needed: not an offline install")] }
        let missing = input.facts.images.filter { $0.problem != nil }
        guard !input.facts.images.isEmpty else { return [.warn("\(registry): not probed", "run `kiln preflight` without --skip-registry")] }
        guard !missing.isEmpty else { return [.pass("\(registry) holds all \(input.facts.images.count) images")] }
        return [.fail("\(registry): \(missing.count) of \(input.facts.images.count) images missing or unreadable: "
                      + missing.prefix(5).map { "\($0.image) (\($0.problem!))" }.joined(separator: ", ") + (missing.count > 5 ? ", …" : ""),
                      "push the offline bundle into the registry (`kiln bundle push`)")]
    }
}

extension JSONValue {
    var containerName: String { self["name"]?.stringValue ?? "" }
}
