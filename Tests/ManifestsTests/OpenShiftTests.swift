import Config
import Foundation
import Manifests
import Schema
import Testing

/// `openshift: true` (admin_guide/installation/manage-deployments/openshift.txt): SCC bindings, the ingress on node
/// ports 80 and 443, the registry's CA in the cluster's image configuration.
struct OpenShiftTests {
    static func bindings(_ result: RenderResult, role: String) -> [ManifestObject] {
        result.objects.filter { $0.kind == "RoleBinding" && $0.json.at("roleRef.name") == .string(role) }
    }

    static func subjects(_ binding: ManifestObject) -> [String] {
        (binding.json.at("subjects")?.arrayValue ?? []).compactMap { s in
            s["name"]?.stringValue.map { "\(s["kind"]?.stringValue ?? "")/\(s["namespace"]?.stringValue ?? "")/\($0)" }
        }
    }

    /// The service accounts of the pods a render runs privileged or as root, found independently of the renderer.
    static func privilegedAccounts(_ result: RenderResult) -> Set<String> {
        Set(result.objects.compactMap { object -> String? in
            guard let pod = object.json.at("spec.template.spec") ?? object.json.at("spec.jobTemplate.spec.template.spec"),
                  let ns = object.namespace else { return nil }
            let contexts = ((pod["containers"]?.arrayValue ?? []) + (pod["initContainers"]?.arrayValue ?? [])).compactMap { $0["securityContext"] }
            guard contexts.contains(where: { $0["privileged"] == .bool(true) || $0["runAsUser"] == .number(0) }) else { return nil }
            return "ServiceAccount/\(ns)/\(pod["serviceAccountName"]?.stringValue ?? "default")"
        })
    }

    /// admin_guide/security-and-compliance/pod-security-policies.txt: OpenShift's `anyuid` and `privileged` SCCs, no
    /// others; services run as their images' users (no UID remapping), so `anyuid` covers every service account of
    /// the platform's namespaces; `privileged` only the accounts whose pods are the documented privileged exceptions.
    @Test func theSCCsAreBoundToThePlatformNamespacesAndThePrivilegedPods() throws {
        let result = render("openshift.yaml")
        let namespaces = result.objects.filter { $0.kind == "Namespace" }.map(\.name)
        let anyuid = Self.bindings(result, role: "system:openshift:scc:anyuid")
        #expect(Set(anyuid.compactMap(\.namespace)) == Set(namespaces))
        for binding in anyuid {
            #expect(Self.subjects(binding) == ["Group//system:serviceaccounts:\(binding.namespace ?? "")"])
        }
        let privileged = Self.bindings(result, role: "system:openshift:scc:privileged")
        let granted = Set(privileged.flatMap(Self.subjects))
        #expect(granted == Self.privilegedAccounts(result))
        #expect(granted.contains("ServiceAccount/domino-compute/hephaestus"))  // BuildKit
        #expect(granted.contains("ServiceAccount/domino-platform/image-cache"))  // the caching agent
        #expect(!granted.contains("ServiceAccount/domino-platform/nucleus"))
        // No other SCC, and every binding refers to a ClusterRole OpenShift defines.
        let scc = result.objects.filter { ($0.json.at("roleRef.name")?.stringValue ?? "").hasPrefix("system:openshift:") }
        #expect(scc.count == anyuid.count + privileged.count)
        #expect(scc.allSatisfy { $0.json.at("roleRef.kind") == .string("ClusterRole") })

        // Elasticsearch is privileged only for its sysctl container.
        let noSysctl = render("openshift.yaml", sets: ["elasticsearch.enable_sysctl=false"])
        #expect(!Set(Self.bindings(noSysctl, role: "system:openshift:scc:privileged").flatMap(Self.subjects))
            .contains("ServiceAccount/domino-platform/elasticsearch"))
        #expect(granted.contains("ServiceAccount/domino-platform/elasticsearch"))
        // Not on other clusters.
        #expect(!render("openshift.yaml", sets: ["openshift=false"]).objects
            .contains { ($0.json.at("roleRef.name")?.stringValue ?? "").hasPrefix("system:openshift:") })
        #expect(!render("eks.yaml").objects.contains { ($0.json.at("roleRef.name")?.stringValue ?? "").hasPrefix("system:openshift:") })
    }

    /// openshift.txt, Ingress: "deploys the ingress controller as a node port service"; "the ingress listens on node
    /// ports 443 (HTTPS) and 80 (HTTP)". The preset carries it, as does the example.
    @Test func theIngressControllerListensOnNodePorts80And443() throws {
        let out = try ConfigInit.generate(.init(preset: "openshift", sets: [
            "name=globex-ml", "hostname=ml.apps.globex.example.com", "helm.image_registries[0].username=globex",
        ]))
        #expect(out.placeholders.isEmpty && out.diagnostics.isEmpty, "\(out.placeholders) \(out.diagnostics.map(\.message))")
        let root = try #require(ConfigFile.parse(out.text, name: "openshift.yaml").root)
        let fromPreset = PlatformRenderer.render(ConfigView(root), secrets: fakeSecrets)
        #expect(!Self.bindings(fromPreset, role: "system:openshift:scc:anyuid").isEmpty)
        for result in [fromPreset, render("openshift.yaml")] {
            let service = try #require(result.object("Service", "nginx-ingress-controller"))
            #expect(service.json.at("spec.type") == .string("NodePort"))
            let nodePorts = Dictionary(uniqueKeysWithValues: (service.json.at("spec.ports")?.arrayValue ?? []).compactMap { p in
                p["name"]?.stringValue.map { ($0, p["nodePort"]?.numberValue) }
            })
            #expect(nodePorts == ["http": 80, "https": 443])
        }
    }

    /// openshift.txt, Container registry: the cluster's image configuration (`images.config.openshift.io/cluster`)
    /// names the ConfigMap `domino-deployment-registry-config` in `additionalTrustedCA`, so nodes pull the platform's
    /// images trusting its CA; the CA is the config's `custom_certificates`, keyed by registry as OpenShift reads it.
    @Test func theClusterTrustsTheRegistryCA() throws {
        let result = render("openshift.yaml")
        let bundle = try #require(exampleView("openshift.yaml").string("custom_certificates"))
        let cas = try #require(result.object("ConfigMap", "domino-deployment-registry-config"))
        #expect(cas.namespace == "openshift-config")
        #expect(cas.json.at("data") == .object([("docker-registry..5000", .string(bundle))]))
        let image = try #require(result.object("Image", "cluster"))
        #expect(image.apiVersion == "config.openshift.io/v1" && image.namespace == nil)
        #expect(image.json.at("spec") == .object([("additionalTrustedCA", .object([("name", .string("domino-deployment-registry-config"))]))]))
        // The configuration is the cluster's: GitOps pruning must leave it alone.
        #expect(image.annotations["kustomize.toolkit.fluxcd.io/prune"] == "disabled")
        #expect(image.annotations["argocd.argoproj.io/sync-options"] == "Prune=false")

        let offline = render("openshift.yaml", sets: ["offline.image_registry=registry.globex.example.com:5000"])
        #expect(offline.object("ConfigMap", "domino-deployment-registry-config")?.json.at("data")?["registry.globex.example.com..5000"] == .string(bundle))
        // No CA given, nothing to trust; not OpenShift, no image configuration.
        #expect(render("openshift.yaml", sets: ["custom_certificates=null"]).object("Image", "cluster") == nil)
        #expect(render("openshift.yaml", sets: ["openshift=false"]).object("Image", "cluster") == nil)
        #expect(render("full-control-plane.yaml").object("Image", "cluster") == nil)
    }
}
