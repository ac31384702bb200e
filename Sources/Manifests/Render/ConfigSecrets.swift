import Config
import Platform

/// The config's secret values a release reads (`Release.secrets`), as the Secret `<release>-credentials` in its
/// namespace, read by its pods from the environment. A value is resolved (`${env:…}`, `${file:…}`) only here, when the object is rendered.
public enum ConfigSecrets {
    /// On a Secret the render holds without values: the keys apply generates once (random, never changed, never
    /// printed). Apply reads it; kubectl and GitOps tools ignore it.
    public static let generatedKeysAnnotation = "kiln.dev/generated-keys"

    static func objects(for release: Release, namespace: String, _ ctx: inout RenderContext)
        -> (objects: [ManifestObject], env: [(name: String, secret: String, key: String)], fixedEnv: [(String, String)]) {
        let generated = release.generatedSecrets.map { secret in
            ManifestObject(apiVersion: "v1", kind: "Secret", name: secret.name, namespace: namespace,
                           labels: ctx.labels.labels(release: release.name, name: secret.name),
                           annotations: [generatedKeysAnnotation: secret.keys.keys.sorted().joined(separator: ",")],
                           body: [("type", .string("Opaque"))], release: release.name)
        }
        let generatedEnv = release.generatedSecrets.flatMap { secret in
            secret.keys.sorted { $0.key < $1.key }.map { (name: $0.value, secret: secret.name, key: $0.key) }
        }
        let fixedEnv = release.generatedSecrets.flatMap { $0.fixedEnv.sorted { $0.key < $1.key }.map { ($0.key, $0.value) } }
        let configured = configSecrets(for: release, namespace: namespace, &ctx)
        return (configured.objects + generated, configured.env + generatedEnv, fixedEnv)
    }

    static func configSecrets(for release: Release, namespace: String, _ ctx: inout RenderContext)
        -> (objects: [ManifestObject], env: [(name: String, secret: String, key: String)]) {
        var data: [String: String] = [:]
        for secret in release.secrets {
            let (key, path) = (secret.key, secret.path)
            guard let text = ctx.config.filled(path),
                  let value = ctx.secrets.resolve(text, at: path, into: &ctx.diagnostics) else { continue }
            data[key] = value
        }
        guard !data.isEmpty else { return ([], []) }
        let name = "\(release.name)-credentials"
        let secret = CoreObjects.secret(name, namespace: namespace, type: "Opaque", stringData: data,
                                        labels: ctx.labels.labels(release: release.name, name: name), release: release.name)
        let env = data.keys.sorted().map { (name: $0.uppercased().replacingOccurrences(of: "-", with: "_"), secret: name, key: $0) }
        return ([secret], env)
    }
}
