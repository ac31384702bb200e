import Foundation
import TestSupport
import Manifests
import Schema
import Testing

/// The API server decodes what kiln sends into Go structs and encodes them back with `omitempty`: an empty list or an
/// empty string map is not stored. A rendered `egress: []` is then different from the stored object on every apply,
/// and the policy is rewritten each time (seen on a real kube-apiserver: `generation` 6 → 7 → 8 for every
/// NetworkPolicy of an unchanged platform). So the render never holds what the server would drop.
struct ServerRoundTripTests {
    /// String maps the server leaves out when empty. Empty objects that mean something (`podSelector: {}` selects
    /// every pod, `emptyDir: {}` is a volume, a CRD's `subresources.status: {}` turns the subresource on) stay.
    static let omittedWhenEmpty: Set<String> = ["data", "stringData", "binaryData", "labels", "annotations", "nodeSelector", "matchLabels"]

    static func dropped(_ value: JSONValue, at path: String) -> [String] {
        switch value {
        case .array(let items):
            if items.isEmpty { return [path] }
            return items.enumerated().flatMap { dropped($1, at: "\(path)[\($0)]") }
        case .object(let members):
            return members.flatMap { key, child -> [String] in
                if case .object(let inner) = child, inner.isEmpty, omittedWhenEmpty.contains(key) { return ["\(path).\(key)"] }
                return dropped(child, at: "\(path).\(key)")
            }
        default:
            return []
        }
    }

    @Test(arguments: ["eks.yaml", "full-control-plane.yaml", "data-plane.yaml", "openshift.yaml", "on-prem.yaml", "aks.yaml"])
    func noRenderedObjectHoldsWhatTheServerDrops(example: String) async {
        let found = await offPool { render(example).objects.flatMap { object in
            Self.dropped(object.json, at: object.identity).map { $0 }
        } }
        #expect(found.isEmpty, "empty lists or maps the API server drops: \(found.prefix(10))")
    }

    @Test func theDefaultDenyPolicyStillDeniesBothWays() throws {
        let result = render("eks.yaml")
        let deny = try #require(result.objects.first { $0.kind == "NetworkPolicy" && $0.name == "default-deny" })
        let spec = try #require(deny.json["spec"])
        #expect(spec["policyTypes"] == .array([.string("Ingress"), .string("Egress")]))
        #expect(spec["ingress"] == nil && spec["egress"] == nil)
        #expect(spec["podSelector"] == .object([]))
    }
}

/// The API server refuses an object in a namespace that does not exist: every namespace the render puts objects in is
/// a Namespace it renders, or one every cluster has.
struct RenderedNamespacesTests {
    static let everyCluster: Set<String> = ["default", "kube-system", "kube-public", "kube-node-lease", "openshift-config"]

    @Test(arguments: ["eks.yaml", "data-plane.yaml", "data-plane-eks.yaml", "openshift.yaml", "on-prem.yaml", "gke.yaml"])
    func everyNamespaceTheRenderUsesIsRendered(example: String) async {
        let objects = await offPool { render(example).objects }
        let rendered = Set(objects.filter { $0.kind == "Namespace" }.map(\.name)).union(Self.everyCluster)
        let missing = Set(objects.compactMap(\.namespace)).subtracting(rendered)
        #expect(missing.isEmpty, "objects in namespaces the render does not create: \(missing.sorted())")
    }
}

/// The admin passwords the docs tell the admin to read with kubectl: the render holds each Secret without a value
/// (nothing random in a render; apply generates it once) and the pods read it, with the documented user name.
struct GeneratedSecretsTests {
    @Test(arguments: [
        // admin_guide/authentication/keycloak-set-up.txt: `kubectl get secret keycloak-http`, key `password`, user `keycloak`.
        ("keycloak-http", "password", "keycloak", "KC_BOOTSTRAP_ADMIN_PASSWORD", "KC_BOOTSTRAP_ADMIN_USERNAME", "keycloak"),
        // admin_guide/operations/monitoring/grafana/access_grafana.txt: secret `grafana`, key `admin-password`, user `grafana`.
        ("grafana", "admin-password", "grafana", "GF_SECURITY_ADMIN_PASSWORD", "GF_SECURITY_ADMIN_USER", "grafana"),
        // admin_guide/admin-toolkit.txt: `domino-admin-toolkit-http`, key `webui-password`, user `admin-toolkit`.
        ("domino-admin-toolkit-http", "webui-password", "domino-admin-toolkit", "WEBUI_PASSWORD", "WEBUI_USERNAME", "admin-toolkit"),
    ])
    func theDocumentedPasswordSecretIsRenderedWithoutAValue(
        secret: String, key: String, workload: String, passwordVariable: String, userVariable: String, user: String
    ) throws {
        let result = render("eks.yaml")
        let object = try #require(result.object("Secret", secret))
        #expect(object.namespace == "domino-platform")
        #expect(object.annotations["kiln.dev/generated-keys"] == key)
        #expect(object.json["data"] == nil && object.json["stringData"] == nil, "no value in a render")
        let pod = try #require(result.objects.first { $0.name == workload && ["Deployment", "StatefulSet"].contains($0.kind) })
        let env = pod.json["spec"]?["template"]?["spec"]?["containers"]?.arrayValue?.first?["env"]?.arrayValue ?? []
        let password = env.first { $0["name"] == .string(passwordVariable) }
        #expect(password?["valueFrom"]?["secretKeyRef"]?["name"] == .string(secret))
        #expect(password?["valueFrom"]?["secretKeyRef"]?["key"] == .string(key))
        #expect(env.first { $0["name"] == .string(userVariable) }?["value"] == .string(user))
    }
}
