import Apply
import Bundle
import Config
import Kube
import Manifests
import Platform
import Schema

/// Runs the preflight table against a cluster: reads what the rules need once, then judges it.
public struct Preflight: Sendable {
    public let client: KubeClient
    /// How many requests (access reviews, registry probes) go at once.
    public var concurrency = 8

    public init(client: KubeClient) { self.client = client }

    /// Which rules: every rule, or only those `kiln apply` runs first.
    public enum Scope: Sendable { case all, applyGate }

    /// The report for `config` (schema-typed) and its render. An unreachable cluster or refused credentials are
    /// thrown (the caller exits 3); a refused read of one kind becomes that rule's warning. `registry` probes the
    /// offline registry's images (only with scope `.all`).
    public func run(config: ConfigView, result: RenderResult, inventory: ApplySet, scope: Scope = .all,
                    registry: RegistrySession? = nil) async throws -> PreflightReport {
        let rules = PreflightChecks.all.filter { scope == .all || $0.gatesApply }
        let facts = try await gather(result, config: config, registry: scope == .all ? registry : nil)
        let input = PreflightInput(config: config, result: result, sizing: SizingPlan(config), facts: facts, inventory: inventory)
        return PreflightReport(results: rules.flatMap { $0.run(input) })
    }

    /// Everything the rules read. `/version` goes first: if the cluster cannot be reached, nothing else is tried.
    public func gather(_ result: RenderResult, config: ConfigView, registry: RegistrySession?) async throws -> ClusterFacts {
        var facts = ClusterFacts(version: try await client.serverVersion())
        facts.nodes = try await ClusterFacts.read(client, "v1", "Node")
        facts.storageClasses = try await ClusterFacts.read(client, "storage.k8s.io/v1", "StorageClass")
        facts.csiDrivers = try await ClusterFacts.read(client, "storage.k8s.io/v1", "CSIDriver")
        facts.systemDaemonSets = try await ClusterFacts.read(client, "apps/v1", "DaemonSet", namespace: "kube-system")
        facts.namespaces = try await ClusterFacts.read(client, "v1", "Namespace")
        facts.crds = try await ClusterFacts.read(client, "apiextensions.k8s.io/v1", "CustomResourceDefinition")
        let kinds = RenderedKinds(result)
        facts.unservedKinds = try await unserved(kinds)
        facts.deniedAccess = try await AccessReview(client: client, concurrency: concurrency).denied(kinds, served: facts.unservedKinds)
        if let registry, config.filled(.offlineImageRegistry) != nil {
            facts.images = try await RegistryProbe(session: registry, concurrency: concurrency).probe(result, config: config)
        }
        return facts
    }

    /// Rendered kinds the server does not serve, leaving out those whose CRD the render itself brings.
    func unserved(_ kinds: RenderedKinds) async throws -> [String] {
        var missing: [String] = []
        for kind in kinds.all where !kinds.definedByRender.contains(kind.groupKind) {
            do {
                _ = try await client.resource(apiVersion: kind.apiVersion, kind: kind.kind)
            } catch let error as KubeError where error.status == 404 {
                missing.append("\(kind.apiVersion) \(kind.kind)")
            }
        }
        return missing
    }
}

/// The kinds a render holds, in a fixed order, and the namespaces each lands in.
struct RenderedKinds {
    struct Kind: Hashable {
        let apiVersion: String
        let kind: String
        var group: String { apiVersion.contains("/") ? String(apiVersion.prefix { $0 != "/" }) : "" }
        var groupKind: String { ApplySet.groupKind(apiVersion: apiVersion, kind: kind) }
    }

    let all: [Kind]
    /// Kind → the namespaces its objects are in (empty for cluster-scoped kinds), sorted.
    let namespaces: [Kind: [String]]
    /// `Kind.group` of every kind a rendered CRD defines.
    let definedByRender: Set<String>

    init(_ result: RenderResult) {
        var order: [Kind] = []
        var namespaces: [Kind: Set<String>] = [:]
        for object in result.objects {
            let kind = Kind(apiVersion: object.apiVersion, kind: object.kind)
            if namespaces[kind] == nil { order.append(kind) }
            namespaces[kind, default: []].formUnion(object.namespace.map { [$0] } ?? [])
        }
        all = order.sorted { ($0.apiVersion, $0.kind) < ($1.apiVersion, $1.kind) }
        self.namespaces = namespaces.mapValues { $0.sorted() }
        definedByRender = Set(result.objects.filter { $0.kind == "CustomResourceDefinition" }.compactMap { crd -> String? in
            let spec = crd.json["spec"]
            guard let group = spec?["group"]?.stringValue, let kind = spec?["names"]?["kind"]?.stringValue else { return nil }
            return "\(kind).\(group)"
        })
    }
}
