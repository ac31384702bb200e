import Foundation
import Manifests
import Testing

/// Objects the admin guide tells people to act on by name, rendered with those names. Each row cites the page whose
/// `kubectl` command, snippet or listing names it (pages relative to ../shared/reference/docs/).
struct DocumentedNamesTests {
    struct Name: Sendable, CustomStringConvertible {
        let example: String
        let kind: String
        let namespace: String?
        let name: String
        let page: String
        var description: String { "\(kind) \(namespace.map { $0 + "/" } ?? "")\(name) (\(page))" }
    }

    static let names: [Name] = [
        Name(example: "eks.yaml", kind: "Service", namespace: "domino-platform", name: "keycloak-http",
             page: "user_guide/apps/app-security.txt"),
        Name(example: "eks.yaml", kind: "StatefulSet", namespace: "domino-platform", name: "grafana",
             page: "admin_guide/operations/monitoring/grafana/access_grafana.txt"),
        Name(example: "eks.yaml", kind: "Secret", namespace: "domino-compute", name: "domino-quay-repos",
             page: "admin_guide/configuration/central-configuration.txt"),
        Name(example: "eks.yaml", kind: "Job", namespace: "domino-platform", name: "nucleus-seed-central-config-defaults",
             page: "admin_guide/troubleshooting/connectivity-and-slowness-issues.txt"),
        Name(example: "eks.yaml", kind: "Deployment", namespace: "domino-platform", name: "nucleus-frontend",
             page: "admin_guide/troubleshooting/connectivity-and-slowness-issues.txt"),
        Name(example: "eks.yaml", kind: "Deployment", namespace: "domino-platform", name: "nucleus-dispatcher",
             page: "admin_guide/troubleshooting/connectivity-and-slowness-issues.txt"),
        Name(example: "eks.yaml", kind: "CronJob", namespace: "domino-platform", name: "domino-workbench-backup",
             page: "admin_guide/operations/backup-restore/customize-backups.txt"),
        Name(example: "eks.yaml", kind: "StatefulSet", namespace: "domino-platform", name: "domino-data-importer",
             page: "admin_guide/operations/backup-restore/customize-backups.txt"),
        Name(example: "eks.yaml", kind: "Service", namespace: "domino-platform", name: "nginx-ingress-controller",
             page: "admin_guide/installation/manage-deployments/aws/deploy.txt"),
        Name(example: "eks.yaml", kind: "IngressClass", namespace: nil, name: "nginx",
             page: "admin_guide/installation/manage-deployments/aws/deploy.txt"),
        Name(example: "full-control-plane.yaml", kind: "ConfigMap", namespace: "default", name: "domino-custom-certificates",
             page: "admin_guide/configuration/installer-configuration.txt"),
        Name(example: "gke.yaml", kind: "PodDisruptionBudget", namespace: "domino-platform", name: "mongodb-arbiter",
             page: "admin_guide/installation/manage-deployments/gcp/kubernetes-upgrade.txt"),
        Name(example: "gke.yaml", kind: "PodDisruptionBudget", namespace: "domino-platform", name: "mongodb-primary",
             page: "admin_guide/installation/manage-deployments/gcp/kubernetes-upgrade.txt"),
        Name(example: "aks.yaml", kind: "PodDisruptionBudget", namespace: "domino-platform", name: "mongodb-secondary",
             page: "admin_guide/installation/manage-deployments/azure/kubernetes-upgrade.txt"),
    ]

    /// The Kubernetes-upgrade pages back up and delete `mongodb-arbiter`, `-primary` and `-secondary` before draining
    /// nodes: one budget per replica-set member, each keeping its member (`mongodb-replicaset-N`, the pod names the
    /// health page lists) running, and no pod under two budgets (the eviction API refuses such a pod).
    @Test func mongoDBHasTheBudgetsTheUpgradePagesDelete() throws {
        let result = render("gke.yaml")
        let budgets = result.objects.filter { $0.kind == "PodDisruptionBudget" && $0.release == "mongodb" }
        #expect(Set(budgets.map(\.name)) == ["mongodb-arbiter", "mongodb-primary", "mongodb-secondary"])
        let members = budgets.compactMap { $0.json.at("spec.selector.matchLabels")?["statefulset.kubernetes.io/pod-name"]?.stringValue }
        #expect(Set(members) == ["mongodb-replicaset-0", "mongodb-replicaset-1", "mongodb-replicaset-2"], "one member each")
        #expect(budgets.first { $0.name == "mongodb-primary" }?.json.at("spec.selector.matchLabels")?["statefulset.kubernetes.io/pod-name"]
                == .string("mongodb-replicaset-0"))
        #expect(budgets.allSatisfy { $0.json.at("spec.minAvailable") == .number(1) && $0.json.at("spec.maxUnavailable") == nil })
        #expect(result.object("StatefulSet", "mongodb-replicaset")?.json.at("spec.replicas") == .number(3))
        #expect(result.object("PodDisruptionBudget", "mongodb-replicaset") == nil, "no budget over all members beside them")
    }

    @Test(arguments: names)
    func theObjectIsRenderedUnderTheDocumentedName(_ row: Name) {
        let result = render(row.example)
        #expect(result.objects.contains { $0.kind == row.kind && $0.namespace == row.namespace && $0.name == row.name }, "\(row)")
    }

    /// `kubectl get pvc grafana-grafana-0`: the claim template `grafana` of StatefulSet `grafana`, replica 0.
    @Test func grafanasVolumeIsClaimedAsGrafanaGrafana0() throws {
        let grafana = try #require(render("eks.yaml").object("StatefulSet", "grafana"))
        let template = grafana.json.at("spec.volumeClaimTemplates.0.metadata.name")?.stringValue
        #expect(template.map { "\($0)-grafana-0" } == "grafana-grafana-0")
    }

    /// `kubectl rollout restart deployment -n istio-system -l app=istiod`
    /// (admin_guide/security-and-compliance/…; istiod's label as the Istio pages select it).
    @Test func istiodPodsCarryAppIstiod() throws {
        let istiod = try #require(render("fips-istio.yaml").object("Deployment", "istiod"))
        #expect(istiod.json.at("spec.template.metadata.labels.app")?.stringValue == "istiod")
    }

    /// The platform namespace is found with `-l domino-platform` (backup pages).
    @Test func thePlatformNamespaceCarriesTheDominoPlatformLabel() throws {
        let ns = try #require(render("eks.yaml").object("Namespace", "domino-platform"))
        #expect(ns.labels["domino-platform"] == "true")
    }

    /// Keycloak's route at /auth goes to the documented Service.
    @Test func theKeycloakRouteUsesKeycloakHttp() throws {
        let ingress = try #require(render("eks.yaml").object("Ingress", "keycloak"))
        #expect(ingress.json.at("spec.rules.0.http.paths.0.backend.service.name")?.stringValue == "keycloak-http")
    }
}
