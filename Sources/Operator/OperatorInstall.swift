import Config
import Foundation
import Manifests
import Platform
import Schema

/// What `kiln bootstrap` installs: the operator's namespace, both CRDs, its ServiceAccount and least-privilege RBAC,
/// the registry pull secret, the operator Deployment, and (from a config) the Platform resource with the Secret its
/// `${secret:…}` references read.
public struct OperatorInstall: Sendable {
    public var namespace = PlatformResource.namespace
    public var image = KilnVersion.image()
    /// Offline: the private registry the image is pulled from instead (its host replaces the image's).
    public var imageRegistry: String?
    public var replicas = 2
    public var openshift = false
    public var skipNamespace = false
    /// Registry credentials for the pull secret; nil: no pull secret.
    public var registry: (server: String, username: String, password: String)?

    public static let name = "kiln-operator"
    public static let pullSecret = "kiln-operator-registry"
    public static let healthPort = 8081

    public init() {}

    var labels: [String: String] { ["app.kubernetes.io/name": Self.name, "app.kubernetes.io/managed-by": "kiln"] }

    /// The image as the Deployment runs it: on `imageRegistry` when set (`quay.io/kiln/kiln:v` → `HOST/kiln/kiln:v`).
    public var resolvedImage: String {
        guard let imageRegistry else { return image }
        let parts = image.split(separator: "/", maxSplits: 1)
        let path = parts.count == 2 && (parts[0].contains(".") || parts[0].contains(":")) ? String(parts[1]) : image
        return "\(imageRegistry)/\(path)"
    }

    /// The operator's objects, in install order (namespace and CRDs, cluster RBAC, then the namespaced rest).
    public func objects() -> [ManifestObject] {
        let release = Self.name
        var out: [ManifestObject] = []
        if !skipNamespace { out.append(CoreObjects.namespace(namespace, labels: labels, annotations: [:], release: release)) }
        out += [PlatformResource.definition(labels: labels), PlatformReleaseResource.definition(labels: labels)]
        out.append(CoreObjects.serviceAccount(Self.name, namespace: namespace, labels: labels,
                                              pullSecret: registry == nil ? nil : Self.pullSecret, release: release))
        out.append(PolicyObjects.role(Self.name, namespace: nil, labels: labels, rules: OperatorRBAC.clusterRules(openshift: openshift), release: release))
        out.append(PolicyObjects.binding(Self.name, namespace: nil, labels: labels, role: Self.name, serviceAccount: Self.name,
                                         serviceAccountNamespace: namespace, release: release))
        out.append(PolicyObjects.role(Self.name, namespace: namespace, labels: labels, rules: OperatorRBAC.namespaceRules, release: release))
        out.append(PolicyObjects.binding(Self.name, namespace: namespace, labels: labels, role: Self.name, serviceAccount: Self.name,
                                         serviceAccountNamespace: namespace, release: release))
        if let registry {
            out.append(CoreObjects.secret(Self.pullSecret, namespace: namespace, type: "kubernetes.io/dockerconfigjson",
                                          stringData: [".dockerconfigjson": Self.dockerConfig(registry)], labels: labels, release: release))
        }
        out.append(deployment())
        return out
    }

    /// `{"auths": {server: {username, password, auth}}}`, as `kubectl create secret docker-registry` writes it.
    static func dockerConfig(_ registry: (server: String, username: String, password: String)) -> String {
        let auth = Data("\(registry.username):\(registry.password)".utf8).base64EncodedString()
        let entry: JSONValue = .object([("username", .string(registry.username)), ("password", .string(registry.password)), ("auth", .string(auth))])
        return JSONValue.object([("auths", .object([(registry.server, entry)]))]).jsonText
    }

    func deployment() -> ManifestObject {
        let selector = ["app.kubernetes.io/name": Self.name]
        func fieldEnv(_ name: String, _ path: String) -> JSONValue {
            .object([("name", .string(name)), ("valueFrom", .object([("fieldRef", .object([("fieldPath", .string(path))]))]))])
        }
        func probe(_ path: String) -> JSONValue {
            .object([("httpGet", .object([("path", .string(path)), ("port", .string("health"))])), ("periodSeconds", .number(10))])
        }
        // OpenShift's restricted SCC assigns the user; elsewhere a fixed non-root one.
        var security: [(String, JSONValue)] = [("runAsNonRoot", .bool(true)), ("seccompProfile", .object([("type", .string("RuntimeDefault"))]))]
        if !openshift { security.append(("runAsUser", .number(65532))) }
        let container: JSONValue = .object([
            ("name", .string("operator")), ("image", .string(resolvedImage)),
            ("args", .array(["operator", "--namespace", namespace, "--log-format", "json",
                             "--health-address", "0.0.0.0:\(Self.healthPort)"].map(JSONValue.string))),
            ("env", .array([fieldEnv("POD_NAME", "metadata.name"), fieldEnv("POD_NAMESPACE", "metadata.namespace")])),
            ("ports", .array([.object([("name", .string("health")), ("containerPort", .number(Double(Self.healthPort)))])])),
            ("livenessProbe", probe("/healthz")), ("readinessProbe", probe("/readyz")),
            ("resources", .object([("requests", .object([("cpu", .string("100m")), ("memory", .string("128Mi"))])),
                                   ("limits", .object([("memory", .string("512Mi"))]))])),
            ("securityContext", .object([("allowPrivilegeEscalation", .bool(false)), ("readOnlyRootFilesystem", .bool(true)),
                                         ("capabilities", .object([("drop", .array([.string("ALL")]))]))])),
        ])
        var pod: [(String, JSONValue)] = [("serviceAccountName", .string(Self.name)), ("securityContext", .object(security)),
                                          ("containers", .array([container]))]
        if registry != nil { pod.append(("imagePullSecrets", .array([.object([("name", .string(Self.pullSecret))])]))) }
        return ManifestObject(apiVersion: "apps/v1", kind: "Deployment", name: Self.name, namespace: namespace, labels: labels, body: [
            ("spec", .object([
                ("replicas", .number(Double(replicas))),
                ("selector", .object([("matchLabels", .sortedObject(selector))])),
                ("template", .object([
                    ("metadata", .object([("labels", .sortedObject(selector))])),
                    ("spec", .object(pod)),
                ])),
            ])),
        ], release: Self.name)
    }
}
