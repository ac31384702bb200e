import Schema

/// Objects that hand the rendered tree to a GitOps engine, one per release, carrying the install order.
public enum GitOpsEngine: String, Sendable, CaseIterable {
    case flux, argocd
}

public struct GitOpsOptions: Sendable {
    public var engine: GitOpsEngine
    /// Where the tree sits in the Git repository the engine reads, from the repository's root (Flux `path`, Argo CD
    /// `source.path`); "" or "." is the root. Empty and `.` components (a leading `./` or `/`, a trailing `/`) are dropped.
    public var path: String
    /// Flux: the GitRepository source's name (in `flux-system`). Argo CD: the repository URL.
    public var source: String

    public init(engine: GitOpsEngine, path: String, source: String) {
        self.engine = engine
        self.path = path
        self.source = source
    }
}

enum GitOpsWrappers {
    static func objects(_ result: RenderResult, _ options: GitOpsOptions) -> [ManifestObject] {
        // Both engines take a path from the repository's root: Flux writes it `./a/b`, Argo CD `a/b`. Empty and `.`
        // components go, so neither a `.//` nor an absolute path can come out.
        let base = options.path.split(separator: "/").filter { $0 != "." }.map(String.init)
        return result.releases.map { release in
            let path = (base + [release]).joined(separator: "/")
            let labels = ["app.kubernetes.io/managed-by": "kiln", "kiln.dev/release": release]
            switch options.engine {
            case .flux:
                // dependsOn orders releases; wait makes a release count as ready only when its objects are.
                var spec: [(String, JSONValue)] = [
                    ("interval", .string("10m")), ("path", .string("./" + path)),
                    ("prune", .bool(true)), ("wait", .bool(true)), ("timeout", .string("15m")),
                    ("sourceRef", .object([("kind", .string("GitRepository")), ("name", .string(options.source))])),
                ]
                let deps = result.dependencies[release] ?? []
                if !deps.isEmpty { spec.append(("dependsOn", .array(deps.map { .object([("name", .string($0))]) }))) }
                return ManifestObject(apiVersion: "kustomize.toolkit.fluxcd.io/v1", kind: "Kustomization", name: release,
                                      namespace: "flux-system", labels: labels, body: [("spec", .object(spec))], release: release)
            case .argocd:
                // Sync waves carry the install order: a release syncs after every lower wave is healthy.
                return ManifestObject(apiVersion: "argoproj.io/v1alpha1", kind: "Application", name: release, namespace: "argocd",
                                      labels: labels, annotations: ["argocd.argoproj.io/sync-wave": "\(result.waves[release] ?? 0)"], body: [
                    ("spec", .object([
                        ("project", .string("default")),
                        ("source", .object([("repoURL", .string(options.source)), ("targetRevision", .string("HEAD")),
                                            ("path", .string(path))])),
                        ("destination", .object([("server", .string("https://kubernetes.default.svc"))])),
                        ("syncPolicy", .object([
                            ("automated", .object([("prune", .bool(true)), ("selfHeal", .bool(true))])),
                            ("syncOptions", .array([.string("ServerSideApply=true")])),
                        ])),
                    ])),
                ], release: release)
            }
        }
    }
}
