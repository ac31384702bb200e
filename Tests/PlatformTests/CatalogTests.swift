import Config
import Platform
import Schema
import Testing

struct CatalogTests {
    @Test func everyServiceOfTheReferenceIsInTheCatalog() {
        let expected = ["nucleus", "mongodb", "postgresql", "rabbitmq-ha", "keycloak", "vault", "git", "docker-registry",
                        "hephaestus", "image-cache", "nginx-ingress", "cert-manager", "custom-cert-manager", "istio",
                        "prometheus", "prometheus-node-exporter", "kube-state-metrics", "grafana", "fluentd", "elasticsearch",
                        "cluster-autoscaler", "external-dns", "data-plane-agent", "data-plane", "nri-metadata-injection",
                        "newrelic-events", "newrelic-infrastructure", "newrelic-logging", "newrelic-open-metrics",
                        "newrelic-prometheus-agent", "nvidia-device-plugin", "nfs-client-provisioner", "domino-data-importer",
                        "domino-admin-toolkit", "flyte", "starburst-enterprise", "falco", "csi-driver-smb", "dcgm-exporter",
                        "aws-cloud-controller-manager", "backend", "fleetcommand-reporter", "mlflow", "teleport-kube-agent"]
        for name in expected { #expect(ReleaseCatalog.release(name) != nil, "\(name) is missing") }
        #expect(Set(ReleaseCatalog.names).count == ReleaseCatalog.all.count)
    }

    @Test func theExtendedCatalogIsWhatTheCatalogPageSays() {
        let extended = ReleaseCatalog.all.filter { $0.catalog == .extended }.map(\.name).sorted()
        #expect(extended == ["csi-driver-smb", "dcgm-exporter", "falco", "newrelic-events", "newrelic-infrastructure",
                             "newrelic-logging", "newrelic-open-metrics", "newrelic-prometheus-agent",
                             "nri-metadata-injection", "starburst-enterprise"])
        for core in ["nvidia-device-plugin", "aws-cloud-controller-manager", "custom-cert-manager"] {
            #expect(ReleaseCatalog.release(core)?.catalog == .core)
        }
    }

    @Test func dependenciesNameReleasesAndFormNoCycle() {
        for release in ReleaseCatalog.all {
            for dependency in release.dependencies {
                #expect(ReleaseCatalog.release(dependency) != nil, "\(release.name) depends on unknown \(dependency)")
            }
        }
        #expect(DependencyGraph.cycle(in: ReleaseCatalog.all) == nil)
    }

    @Test func theCycleFinderFindsACycle() {
        // Guard the guard: a graph with a cycle is reported.
        let nucleus = ReleaseCatalog.release("nucleus")!
        let mongo = ReleaseCatalog.release("mongodb")!
        #expect(DependencyGraph.cycle(in: [nucleus, mongo]) == nil)
        #expect(DependencyGraph.order([nucleus, mongo]).map(\.name) == ["mongodb", "nucleus"])
    }

    @Test func everyWorkloadHasAnImageForEverySupportedVersion() {
        for release in ReleaseCatalog.all {
            for workload in release.workloads {
                for version in PlatformVersion.supported {
                    let ref = workload.image.reference(for: version)
                    #expect(ref.contains(":") && !ref.hasSuffix(":"), "\(release.name)/\(workload.name) @\(version)")
                }
            }
        }
        let keycloak = ReleaseCatalog.release("keycloak")!.workloads[0].image
        #expect(keycloak.reference(for: "6.1.0").hasSuffix(":26.1.4"))
        #expect(keycloak.reference(for: "6.1.1").hasSuffix(":26.2.5"))
        #expect(ReleaseCatalog.release("nucleus")!.workloads[0].image.reference(for: "6.1.2") == "quay.io/domino/nucleus:6.1.2")
    }

    @Test func everyValuesSchemaCompiles() throws {
        for release in ReleaseCatalog.all {
            _ = try JSONSchema(text: release.valuesSchema)
        }
    }

    @Test func databasesAndSearchSystemsHaveNoLimits() {
        for name in ["mongodb", "postgresql", "rabbitmq-ha", "redis-ha", "elasticsearch", "prometheus"] {
            let workloads = ReleaseCatalog.release(name)!.workloads
            #expect(workloads.allSatisfy { $0.limits == nil }, "\(name)")
            #expect(workloads.allSatisfy { $0.requests != .zero }, "\(name)")
        }
    }

    @Test func theIngressValuesSchemaTakesEveryPerCloudLoadBalancerBlock() throws {
        let schema = try JSONSchema(text: ReleaseCatalog.release("nginx-ingress")!.valuesSchema)
        // The classic load balancer variant of the EKS page (for existing installs).
        let classic = """
            controller:
              kind: Deployment
              hostNetwork: false
              service:
                enabled: true
                type: LoadBalancer
                annotations:
                  service.beta.kubernetes.io/aws-load-balancer-backend-protocol: tcp
                  service.beta.kubernetes.io/aws-load-balancer-proxy-protocol: '*'
                loadBalancerSourceRanges: [0.0.0.0/0]
                targetPorts: {http: http, https: http}
              config:
                use-proxy-protocol: 'true'
            """
        let root = try #require(ConfigFile.parse(classic, name: "classic.yaml").root)
        #expect(InstallConfigSchema.validator(for: schema).validate(root).isEmpty)
        for preset in ["eks", "aks", "gke", "openshift"] {
            let text = try ConfigInit.generate(.init(preset: preset)).text
            let values = try #require(ConfigFile.parse(text, name: "x").root?.value(at: KeyPath(parsing: "release_overrides.nginx-ingress.chart_values")))
            #expect(InstallConfigSchema.validator(for: schema).validate(values).isEmpty, "\(preset)")
        }
    }
}

extension Array where Element == Diagnostics.Diagnostic {}
import Diagnostics
