import Foundation
import Manifests
import Schema
import Testing

/// cert-manager and Istio run as installed: their kinds exist and their webhooks are configured
/// (admin_guide/configuration/installer-configuration.txt, `certificate_management.install`, `istio.install`).
struct OperatorsRunTests {
    @Test func certManagerBringsItsKindsAndItsWebhook() throws {
        let result = render("eks.yaml")
        for name in ["certificates.cert-manager.io", "issuers.cert-manager.io", "clusterissuers.cert-manager.io",
                     "orders.acme.cert-manager.io", "challenges.acme.cert-manager.io", "certificaterequests.cert-manager.io"] {
            #expect(result.object("CustomResourceDefinition", name) != nil, "\(name)")
        }
        let validating = try #require(result.object("ValidatingWebhookConfiguration", "cert-manager-webhook"))
        #expect(validating.json.at("webhooks.0.clientConfig.service.name")?.stringValue == "cert-manager-webhook")
        #expect(validating.annotations["cert-manager.io/inject-ca-from-secret"] != nil)
        #expect(result.object("MutatingWebhookConfiguration", "cert-manager-webhook") != nil)
        // Without cert-manager, none of it.
        let without = render("eks.yaml", sets: ["certificate_management.install=false"])
        #expect(without.object("CustomResourceDefinition", "certificates.cert-manager.io") == nil)
    }

    @Test func istioBringsItsKindsTheSidecarInjectorAndTheCNIAgent() throws {
        let result = render("fips-istio.yaml")
        #expect(result.object("CustomResourceDefinition", "peerauthentications.security.istio.io") != nil)
        let injector = try #require(result.object("MutatingWebhookConfiguration", "istio-sidecar-injector"))
        #expect(injector.json.at("webhooks.0.namespaceSelector.matchLabels")?["istio-injection"]?.stringValue == "enabled")
        #expect(injector.json.at("webhooks.0.clientConfig.service.name")?.stringValue == "istiod")
        let cni = try #require(result.object("DaemonSet", IstioHookName.cni))
        #expect(cni.namespace == "istio-system")
        #expect(render("fips-istio.yaml", sets: ["istio.cni=false"]).object("DaemonSet", IstioHookName.cni) == nil)
    }

    /// Flux's ordering: within a release, webhook configurations after every other object.
    @Test func webhooksComeLastInTheirRelease() throws {
        let objects = render("fips-istio.yaml").objects
        var checked = 0
        for release in Set(objects.map(\.release)) {
            let indices = objects.indices.filter { objects[$0].release == release }
            let hooks = indices.filter { objects[$0].kind.hasSuffix("WebhookConfiguration") }
            guard let first = hooks.first else { continue }
            checked += 1
            #expect(indices.filter { !objects[$0].kind.hasSuffix("WebhookConfiguration") }.allSatisfy { $0 < first }, "\(release)")
        }
        #expect(checked >= 2, "cert-manager and istio both have webhooks")
    }
}

enum IstioHookName {
    static let cni = "istio-cni-node"
}
