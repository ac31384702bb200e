import Config
import Diagnostics
import Platform
import Schema

/// A rendered platform: every object in install order, with the wave of each release.
public struct RenderResult: Sendable {
    /// In install order (release wave, kind, namespace, name), Secrets included.
    public let objects: [ManifestObject]
    /// `kiln-base` first, then the installed releases in install order.
    public let releases: [String]
    /// Release → install wave (`kiln-base` is 0).
    public let waves: [String: Int]
    /// Release → the releases it waits for (installed ones only).
    public let dependencies: [String: [String]]
    /// Problems found while rendering (a missing secret variable, say). With errors, nothing should be written.
    public let diagnostics: [Diagnostic]
    /// Which platform this is: apply records it in the inventory and refuses to apply another one over it.
    public let platform: PlatformIdentity?

    public init(objects: [ManifestObject], releases: [String], waves: [String: Int], dependencies: [String: [String]],
                diagnostics: [Diagnostic], platform: PlatformIdentity? = nil) {
        self.objects = objects
        self.releases = releases
        self.waves = waves
        self.dependencies = dependencies
        self.diagnostics = diagnostics
        self.platform = platform
    }

    public var secrets: [ManifestObject] { objects.filter(\.isSecret) }
    public var withoutSecrets: [ManifestObject] { objects.filter { !$0.isSecret } }
}

/// A platform's identity: its `name` (which cannot change after install) and whether it is a control plane or a data
/// plane.
public struct PlatformIdentity: Sendable, Equatable, CustomStringConvertible {
    public enum Role: String, Sendable { case controlPlane = "control-plane", dataPlane = "data-plane" }
    public let name: String
    public let role: Role

    public init(name: String, role: Role) {
        self.name = name
        self.role = role
    }

    public var description: String { "\(name) (\(role == .controlPlane ? "control plane" : "data plane"))" }
}

/// Config → Kubernetes objects: the platform's shared objects, then every installed release.
public enum PlatformRenderer {
    /// Where the platform's own control objects live (kiln's ApplySet parent among them).
    public static func systemNamespace(_ config: ConfigView) -> String {
        config.string(.namespacesSystemName) ?? "domino-system"
    }

    public static func render(_ config: ConfigView, secrets: SecretValues = SecretValues(), profile: SizingProfile? = nil,
                              images: ImageRewrite? = nil) -> RenderResult {
        // Every read below sees scalars typed by the schema, as the validator saw them.
        let config = ConfigView(InstallConfigSchema.shared.typed(config.root))
        let plan = ReleasePlan(config)
        return render(config, plan: plan, sizing: SizingPlan(config, plan: plan, profile: profile), secrets: secrets, images: images)
    }

    /// The render of a plan and a sizing already made (`kiln size`, `kiln releases` and the checks make them too):
    /// `config` must be the schema-typed tree they were made from.
    public static func render(_ config: ConfigView, plan: ReleasePlan, sizing: SizingPlan, secrets: SecretValues = SecretValues(),
                              images: ImageRewrite? = nil) -> RenderResult {
        var ctx = RenderContext(config: config, plan: plan, sizing: sizing, secrets: secrets, images: images)
        var objects = BaseObjects.render(&ctx)
        for release in plan.installOrder {
            objects += ReleaseRenderer.render(release, &ctx)
        }
        objects += OpenShift.objects(ctx, rendered: objects)
        var waves = [BaseObjects.release: 0]
        for (level, releases) in plan.installLevels.enumerated() {
            for release in releases { waves[release.name] = level + 1 }
        }
        let installed = Set(plan.installOrder.map(\.name))
        var dependencies: [String: [String]] = [:]
        for release in plan.installOrder {
            dependencies[release.name] = [BaseObjects.release] + release.dependencies.filter(installed.contains)
        }
        // Two objects may read the same secret (the pull secret and the builder's credentials): one message each.
        var said = Set<String>()
        var diagnostics = ctx.diagnostics.filter { said.insert("\($0.code)|\($0.path)|\($0.message)").inserted }
        var seen = Set<String>()
        for object in objects where !seen.insert(object.identity).inserted {
            diagnostics.append(.error(RenderCode.duplicateObject, "two rendered objects are \(object.identity) (a kiln bug)"))
        }
        return RenderResult(objects: KindOrder.sorted(ReleaseRevision.stamp(consume objects), waves: waves),
                            releases: [BaseObjects.release] + plan.installOrder.map(\.name), waves: waves,
                            dependencies: dependencies, diagnostics: diagnostics,
                            platform: PlatformIdentity(name: config.string(.name) ?? "", role: config.isDataPlaneOnly ? .dataPlane : .controlPlane))
    }

    /// The `Platform` resource for a config (`kiln render --export-cr`). Refuses literal secrets: the resource would
    /// carry them; `${env:…}` and `${file:…}` references stay as they are.
    public static func exportResource(_ config: ConfigView) -> (ManifestObject?, [Diagnostic]) {
        var problems: [Diagnostic] = []
        func json(_ i: Instance, _ path: KeyPath) -> JSONValue {
            switch i.content {
            case .null: return .null
            case .bool(let b): return .bool(b)
            case .number(let n): return .number(n)
            case .string(let s), .untyped(let s):
                if SecretKeys.isSecret(path), !s.isEmpty, !ValueReference.isReference(s) {
                    problems.append(.error(RenderCode.literalSecretInResource, "\(path) holds a secret value; the exported resource would carry it",
                                           at: i.location, path: path.description,
                                           help: "write it as ${env:NAME} or ${file:PATH} before exporting"))
                    return .string("")
                }
                return .string(s)
            case .array(let items): return .array(items.enumerated().map { json($1, path.appending(index: $0)) })
            case .object(let members): return .object(members.map { ($0.key, json($0.value, path.appending($0.key))) })
            }
        }
        // Typed by the schema, as the validator read it: `txt_owner_id: 007` stays the string "007".
        let spec = json(InstallConfigSchema.shared.typed(config.root), .root)
        guard problems.isEmpty else { return (nil, problems) }
        let name = config.string(.name) ?? "platform"
        let labels = ["app.kubernetes.io/name": name, "app.kubernetes.io/managed-by": "kiln"]
        return (PlatformResource.resource(name: name.lowercased().replacingOccurrences(of: "_", with: "-"),
                                          version: config.string(.version) ?? PlatformVersion.supported.last!,
                                          config: spec, labels: labels), [])
    }
}
