import Config
import Platform
import Schema

/// cert-manager (`certificate_management.install`): its resource kinds and its webhook, so that it runs as installed
/// (the installer-configuration page: install it unless the cluster has its own). The webhook's CA bundle is
/// injected by cert-manager's CA injector from the webhook's own CA Secret.
enum CertManagerHook {
    static let release = "cert-manager"
    static let webhookService = "cert-manager-webhook"

    static let kinds: [(group: String, kind: String, plural: String, namespaced: Bool)] = [
        ("cert-manager.io", "Certificate", "certificates", true),
        ("cert-manager.io", "CertificateRequest", "certificaterequests", true),
        ("cert-manager.io", "Issuer", "issuers", true),
        ("cert-manager.io", "ClusterIssuer", "clusterissuers", false),
        ("acme.cert-manager.io", "Order", "orders", true),
        ("acme.cert-manager.io", "Challenge", "challenges", true),
    ]

    static let hook = ReleaseHook(objects: { namespace, ctx in
        var out = kinds.map { k in
            ExtensionObjects.crd(group: k.group, kind: k.kind, plural: k.plural, namespaced: k.namespaced, versions: ["v1"],
                                 labels: ctx.labels(release, "\(k.plural).\(k.group)"), release: release)
        }
        let rules = [ExtensionObjects.WebhookRule(groups: ["cert-manager.io", "acme.cert-manager.io"], versions: ["v1"])]
        let inject = ["cert-manager.io/inject-ca-from-secret": "\(namespace)/\(webhookService)-ca"]
        for mutating in [true, false] {
            out.append(ExtensionObjects.webhook(mutating: mutating, name: webhookService, webhook: "webhook.cert-manager.io",
                                                service: (namespace, webhookService, 10250), path: mutating ? "/mutate" : "/validate",
                                                rules: rules, labels: ctx.labels(release, webhookService), annotations: inject,
                                                release: release))
        }
        return out
    })
}
