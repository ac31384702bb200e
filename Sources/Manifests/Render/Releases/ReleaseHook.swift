import Config
import Platform
import Schema

/// What a release needs beyond what the generic renderer makes of its description: edits of its pods, workload
/// identity on its service account, and objects of its own (config files, seed jobs). One file per release under
/// `Render/Releases/`, registered in `ReleaseHooks.table`; nothing else in the renderer knows the release by name.
struct ReleaseHook: Sendable {
    /// Edits one workload before its objects are built: its pod, kind and Service, objects beside it, extra ingress
    /// rules for its release's network policy.
    var workload: (@Sendable (_ draft: inout WorkloadDraft, _ ctx: RenderContext) -> Void)?
    /// Edits one workload's pod (its name is the workload's); the common case of `workload`.
    var pod: (@Sendable (_ workload: String, _ pod: inout PodTemplate, _ ctx: RenderContext) -> Void)?
    /// Annotations of the release's service account: cloud workload identity.
    var serviceAccount: (@Sendable (_ ctx: RenderContext) -> [String: String])?
    /// Objects the release adds, in its primary namespace.
    var objects: (@Sendable (_ namespace: String, _ ctx: inout RenderContext) -> [ManifestObject])?

    init(workload: (@Sendable (inout WorkloadDraft, RenderContext) -> Void)? = nil,
         pod: (@Sendable (String, inout PodTemplate, RenderContext) -> Void)? = nil,
         serviceAccount: (@Sendable (RenderContext) -> [String: String])? = nil,
         objects: (@Sendable (String, inout RenderContext) -> [ManifestObject])? = nil) {
        self.workload = workload
        self.pod = pod
        self.serviceAccount = serviceAccount
        self.objects = objects
    }

    func apply(_ draft: inout WorkloadDraft, _ ctx: RenderContext) {
        workload?(&draft, ctx)
        pod?(draft.name, &draft.pod, ctx)
    }
}

/// One workload as the renderer is about to build it; hooks edit it.
struct WorkloadDraft {
    let name: String
    let namespace: String
    var pod: PodTemplate
    var kind: Workload.Kind
    var service: ServiceShape
    /// What selects its pods (its Service, disruption budget and controller): `app.kubernetes.io/{instance,name}`
    /// unless the docs name other labels (the data-plane load balancer's `auth-proxy` labels).
    var selector: [String: String]
    /// Objects rendered beside it (a controller's ConfigMap).
    var extras: [ManifestObject] = []
    /// Ingress rules its release's network policy adds (who may reach a load balancer).
    var extraIngress: [JSONValue] = []
}

/// The hooks by release name. A test checks that every name here is a release of the catalog.
enum ReleaseHooks {
    static let table: [String: ReleaseHook] = [
        "nucleus": NucleusHook.hook,
        "hephaestus": ImageBuilderHook.hook,
        "flyte": FlyteHook.hook,
        "domino-data-importer": DataImporterHook.hook,
        "docker-registry": RegistryHook.hook,
        "fleetcommand-reporter": FleetcommandHook.hook,
        "teleport-kube-agent": TeleportHook.hook,
        "grafana": GrafanaHook.hook,
        "domino-admin-toolkit": AdminToolkitHook.hook,
        "istio": IstioHook.hook,
        "newrelic-infrastructure": NewRelicHook.infrastructure,
        "nri-metadata-injection": NewRelicHook.metadataInjection,
        "nginx-ingress": NginxIngressHook.hook,
        "cluster-autoscaler": ClusterAutoscalerHook.hook,
        "external-dns": ExternalDNSHook.hook,
        "elasticsearch": ElasticsearchHook.hook,
        "image-cache": ImageCacheHook.hook,
        "nfs-client-provisioner": NFSProvisionerHook.hook,
        "data-plane": DataPlaneHook.hook,
        "vault": NexusExposure.vault,
        "cert-manager": CertManagerHook.hook,
        "rabbitmq-ha": NexusExposure.rabbitmq,
    ]

    static func hook(_ release: String) -> ReleaseHook? { table[release] }
}

extension RenderContext {
    /// Labels of an object a hook adds to `release`.
    func labels(_ release: String, _ name: String) -> [String: String] { labels.labels(release: release, name: name) }

    /// A secret value of the config, resolved (`${env:…}`, `${file:…}`); nil when unset or unresolvable (an error is
    /// recorded for the latter).
    mutating func secret(_ path: String) -> String? {
        guard let text = config.filled(path) else { return nil }
        return secrets.resolve(text, at: path, into: &diagnostics)
    }

    /// The GKE workload-identity service account `NAME@PROJECT.iam.gserviceaccount.com` of a config section.
    func gcpServiceAccount(_ section: String) -> String? {
        guard let name = config.filled(section + ".service_account_name") else { return nil }
        guard let project = config.filled(section + ".project_name") else { return name }
        return name.contains("@") ? name : "\(name)@\(project).iam.gserviceaccount.com"
    }
}

/// Annotation and label keys of cloud workload identity (EKS IRSA, GKE, Azure).
enum WorkloadIdentity {
    static let awsRoleARN = "eks.amazonaws.com/role-arn"
    static let gcpServiceAccount = "iam.gke.io/gcp-service-account"
    static let azureClientID = "azure.workload.identity/client-id"
    static let azureTenantID = "azure.workload.identity/tenant-id"
    static let azureUse = "azure.workload.identity/use"
}
