import Config
import Platform

/// The config's secret values a release reads (`Release.secrets`), as the Secret `<release>-credentials` in its
/// namespace, read by its pods from the environment. A value is resolved (`${env:…}`, `${file:…}`) only here, when the object is rendered.
enum ConfigSecrets {
    static func objects(for release: Release, namespace: String, _ ctx: inout RenderContext)
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
