import Config
import Diagnostics
import Manifests
import Schema

/// A config as a `Platform` resource the operator can reconcile: the operator has neither the admin's environment nor
/// files, so each `${env:NAME}` and `${file:PATH}` is read now, stored in one Secret beside the resource
/// (`<platform>-config-secrets`), and replaced by the `${secret:<platform>-config-secrets/KEY}` that reads it back.
/// Literal secrets are refused, as `kiln render --export-cr` refuses them.
public enum PlatformExport {
    public struct Exported: Sendable {
        public let platform: ManifestObject
        /// nil when the config refers to nothing.
        public let secret: ManifestObject?
        /// The Secret's keys (never its values), for what `--export` prints.
        public let keys: [String]
    }

    public static func export(_ config: ConfigView, namespace: String, values: SecretValues = SecretValues()) -> (Exported?, [Diagnostic]) {
        let (resource, problems) = PlatformRenderer.exportResource(config)
        guard let resource, problems.isEmpty, let spec = resource.body.first(where: { $0.0 == "spec" })?.1 else { return (nil, problems) }
        let secretName = "\(resource.name)-config-secrets"
        var data: [String: String] = [:]
        var diagnostics: [Diagnostic] = []
        // Secret key → the reference it holds: two files of one name (`/a/tls.key`, `/b/tls.key`) get `file-tls.key` and
        // `file-tls.key-2`, in config order, instead of one overwriting the other.
        var owners: [String: String] = [:]
        func key(_ inner: String) -> String {
            let raw = inner.hasPrefix("env:") ? String(inner.dropFirst(4)) : "file-" + String(inner.dropFirst(5).split(separator: "/").last ?? "")
            let base = String(raw.map { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) ? $0 : "-" })
            var candidate = base
            var n = 1
            while let owner = owners[candidate], owner != inner {
                n += 1
                candidate = "\(base)-\(n)"
            }
            owners[candidate] = inner
            return candidate
        }
        func rewrite(_ value: JSONValue, _ path: String) -> JSONValue {
            switch value {
            case .string(let text) where ValueReference.isReference(text) && ValueReference.secret(text) == nil:
                let name = key(String(text.dropFirst(2).dropLast()))
                let (resolved, found) = values.value(of: text, at: path)
                diagnostics += found
                if let resolved { data[name] = resolved }
                return .string("${secret:\(secretName)/\(name)}")
            case .array(let items): return .array(items.enumerated().map { rewrite($1, "\(path)[\($0)]") })
            case .object(let members): return .object(members.map { ($0.0, rewrite($0.1, path.isEmpty ? $0.0 : "\(path).\($0.0)")) })
            default: return value
            }
        }
        let config = rewrite(spec["config"] ?? .object([]), "")
        guard diagnostics.isEmpty else { return (nil, diagnostics) }
        let platform = PlatformResource.resource(name: resource.name, version: spec["version"]?.stringValue ?? "", config: config,
                                                 labels: resource.labels, namespace: namespace)
        let secret = data.isEmpty ? nil : CoreObjects.secret(secretName, namespace: namespace, type: "Opaque", stringData: data,
                                                             labels: resource.labels, release: "kiln-operator")
        return (Exported(platform: platform, secret: secret, keys: data.keys.sorted()), [])
    }
}
