import Config
import Foundation
import Manifests
import Platform
import Schema
import Testing

/// The reference's rules, checked on rendered objects one by one.
struct ReferenceRuleTests {
    @Test func theNLBAnnotationsLandOnTheControllerService() throws {
        let service = try #require(render("eks.yaml").object("Service", "nginx-ingress-controller"))
        #expect(service.annotations["service.beta.kubernetes.io/aws-load-balancer-type"] == "nlb")
        #expect(service.annotations["service.beta.kubernetes.io/aws-load-balancer-ssl-ports"] == "443")
        #expect(service.json.at("spec.type") == .string("LoadBalancer"))
        #expect(service.json.at("spec.externalTrafficPolicy") == .string("Local"))
        #expect(service.json.at("spec.loadBalancerSourceRanges") == .array([.string("0.0.0.0/0")]))
        let config = try #require(render("eks.yaml").object("ConfigMap", "nginx-ingress-controller"))
        #expect(config.json.at("data.ssl-protocols") == .string("TLSv1.2 TLSv1.3"))
    }

    @Test func theAKSControllerTakesItsExtraArgsAndProbeAnnotation() throws {
        let result = render("aks.yaml")
        let controller = try #require(result.object("Deployment", "nginx-ingress-controller"))
        let args = controller.json.at("spec.template.spec.containers.0.args")?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(args.contains("--default-ssl-certificate=domino-platform/my-cert"))
        #expect(result.object("Service", "nginx-ingress-controller")?.annotations["service.beta.kubernetes.io/azure-load-balancer-health-probe-request-path"] == "/healthz")
    }

    @Test func aControllerKindOfDaemonSetRendersADaemonSet() throws {
        let result = render("eks.yaml", sets: ["release_overrides.nginx-ingress.chart_values.controller.kind=DaemonSet",
                                                "release_overrides.nginx-ingress.chart_values.controller.hostNetwork=true"])
        let daemonSet = try #require(result.object("DaemonSet", "nginx-ingress-controller"))
        #expect(daemonSet.json.at("spec.template.spec.hostNetwork") == .bool(true))
        #expect(result.object("Deployment", "nginx-ingress-controller") == nil)
    }

    @Test func databasesHaveRequestsButNoLimits() throws {
        for name in ["mongodb-replicaset", "postgresql", "elasticsearch", "rabbitmq-ha-311"] {
            let sts = try #require(render("eks.yaml").object("StatefulSet", name))
            #expect(sts.json.at("spec.template.spec.containers.0.resources.requests") != nil, "\(name)")
            #expect(sts.json.at("spec.template.spec.containers.0.resources.limits") == nil, "\(name)")
        }
    }

    @Test func aGPUConfigRendersTheDevicePluginOnGPUNodes() throws {
        let plugin = try #require(render("gpu-newrelic.yaml").object("DaemonSet", "nvidia-device-plugin"))
        #expect(plugin.json.at("spec.template.spec.nodeSelector.nvidia.com/gpu") == nil)  // the key has dots: read it whole
        #expect(plugin.json.at("spec.template.spec.nodeSelector")?["nvidia.com/gpu"] == .string("true"))
        #expect(plugin.json.at("spec.template.spec.tolerations.0.key") == .string("nvidia.com/gpu"))
        #expect(render("eks.yaml").object("DaemonSet", "nvidia-device-plugin") == nil)
    }

    @Test func anOfflineConfigReferencesOnlyThePrivateRegistry() throws {
        let result = render("offline-eks.yaml")
        let text = ManifestYAML.stream(result.objects)
        let images = text.split(separator: "\n").filter { $0.contains("image: ") }.map { $0.split(separator: " ").last.map(String.init) ?? "" }
        #expect(images.count > 30)
        #expect(images.allSatisfy { $0.hasPrefix("registry.airgap.acme.example:5000/") }, "\(images.filter { !$0.hasPrefix("registry.airgap") })")
        #expect(!text.contains("quay.io"))
        #expect(images.contains("registry.airgap.acme.example:5000/domino/nucleus:6.1.2"))
        #expect(images.contains("registry.airgap.acme.example:5000/elasticsearch/elasticsearch:7.17.26"))
    }

    @Test func noSecretInTheTreeWithoutIncludeSecrets() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = render("full-control-plane.yaml")
        #expect(result.secrets.count >= 3)
        _ = try ManifestWriter.write(result, to: dir.appendingPathComponent("tree").path, options: .init())
        let tree = dir.appendingPathComponent("tree")
        let files = try FileManager.default.subpathsOfDirectory(atPath: tree.path)
        var everything = ""
        for file in files where file.hasSuffix(".yaml") || file.hasSuffix(".txt") {
            everything += try String(contentsOf: tree.appendingPathComponent(file), encoding: .utf8)
        }
        #expect(!everything.contains("kind: Secret"))
        #expect(!everything.contains("secret-value-of-"))
        #expect(!everything.contains("secret-file-"))
        #expect(everything.contains("domino-registry"))  // the tree refers to the pull secret by name
        let secrets = dir.appendingPathComponent("tree.secrets")
        let mode = try FileManager.default.attributesOfItem(atPath: secrets.path)[.posixPermissions] as? Int
        #expect(mode == 0o700)
        // Each release's directory in it too (made with mkdir and chmod, whatever the umask).
        let releaseFolders = try FileManager.default.contentsOfDirectory(atPath: secrets.path).filter { !$0.hasPrefix(".") }
        #expect(!releaseFolders.isEmpty)
        for folder in releaseFolders {
            let folderMode = try FileManager.default.attributesOfItem(atPath: secrets.appendingPathComponent(folder).path)[.posixPermissions] as? Int
            #expect(folderMode == 0o700, "\(folder)")
        }
        let secretFiles = try FileManager.default.subpathsOfDirectory(atPath: secrets.path).filter { $0.hasSuffix(".yaml") }
        #expect(secretFiles.count == result.secrets.count)
        for file in secretFiles {
            let fileMode = try FileManager.default.attributesOfItem(atPath: secrets.appendingPathComponent(file).path)[.posixPermissions] as? Int
            #expect(fileMode == 0o600)
        }
    }

    @Test func aMissingVariableIsAnErrorNamingIt() {
        let noVariables = SecretValues(variable: { _ in nil }, readFile: { _ in nil })
        let result = PlatformRenderer.render(exampleView("eks.yaml"), secrets: noVariables)
        let messages = result.diagnostics.map(\.message)
        #expect(result.diagnostics.allSatisfy { $0.code == SecretValues.missingVariable || $0.code == SecretValues.unreadableFile })
        #expect(messages.contains { $0.contains("QUAY_PASSWORD") })
        #expect(messages.contains { $0.contains("SMTP_PASSWORD") })
    }

    @Test func thePullSecretHoldsTheRegistryCredentials() throws {
        let secret = try #require(render("eks.yaml").objects.first { $0.kind == "Secret" && $0.name == "domino-registry" })
        #expect(secret.json.at("type") == .string("kubernetes.io/dockerconfigjson"))
        let config = try #require(secret.json.at("stringData")?[".dockerconfigjson"]?.stringValue)
        let parsed = try JSONReader.parse(config)
        #expect(parsed["auths"]?["quay.io"]?["password"] == .string("secret-value-of-QUAY_PASSWORD"))
        #expect(parsed["auths"]?["quay.io"]?["auth"] == .string(Data("acme:secret-value-of-QUAY_PASSWORD".utf8).base64EncodedString()))
    }

    @Test func networkPoliciesDenyByDefaultAndAllowTheDependencyPaths() throws {
        let result = render("eks.yaml")
        let namespaces = result.objects.filter { $0.kind == "Namespace" }.map(\.name)
        for ns in namespaces {
            #expect(result.objects.contains { $0.kind == "NetworkPolicy" && $0.name == "default-deny" && $0.namespace == ns })
        }
        let mongo = try #require(result.objects.first { $0.kind == "NetworkPolicy" && $0.name == "mongodb" })
        let from = mongo.json.at("spec.ingress.0.from")?.arrayValue ?? []
        let callers = from.compactMap { $0.at("podSelector.matchLabels")?[ObjectLabels.release]?.stringValue }
        #expect(callers.contains("nucleus"))
        #expect(callers.contains("image-cache"))
        let nucleus = try #require(result.objects.first { $0.kind == "NetworkPolicy" && $0.name == "nucleus" })
        let nucleusCallers = (nucleus.json.at("spec.ingress.0.from")?.arrayValue ?? [])
            .compactMap { $0.at("podSelector.matchLabels")?[ObjectLabels.release]?.stringValue }
        #expect(nucleusCallers.contains("nginx-ingress"))
        let controller = try #require(result.objects.first { $0.kind == "NetworkPolicy" && $0.name == "nginx-ingress" })
        let blocks = (controller.json.at("spec.ingress")?.arrayValue ?? []).flatMap { $0["from"]?.arrayValue ?? [] }
            .compactMap { $0.at("ipBlock.cidr")?.stringValue }
        #expect(blocks == ["10.0.0.0/16", "100.64.0.0/16", "0.0.0.0/0"])
        #expect(!render("eks.yaml", sets: ["enable_network_policies=false"]).objects.contains { $0.kind == "NetworkPolicy" })
    }

    @Test func istioLabelsNamespacesAndPods() throws {
        let result = render("fips-istio.yaml")
        let platform = try #require(result.object("Namespace", "domino-platform"))
        #expect(platform.labels["istio-injection"] == "enabled")
        let nucleus = try #require(result.object("Deployment", "nucleus-frontend"))
        #expect(nucleus.json.at("spec.template.metadata.labels")?["sidecar.istio.io/inject"] == .string("true"))
        #expect(result.object("Deployment", "istiod") != nil)
        #expect(render("eks.yaml").object("Namespace", "domino-platform")?.labels["istio-injection"] == nil)
    }

    @Test func storageClassesPerType() throws {
        let eks = render("eks.yaml")
        let block = try #require(eks.object("StorageClass", "dominodisk"))
        #expect(block.json.at("provisioner") == .string("ebs.csi.aws.com"))
        #expect(block.json.at("parameters")?["kmsKeyId"]?.stringValue?.hasPrefix("arn:aws:kms:") == true)
        let shared = try #require(eks.object("StorageClass", "dominoshared"))
        #expect(shared.json.at("parameters")?["fileSystemId"] == .string("fs-7a535bd1"))
        let onPrem = render("on-prem.yaml")
        #expect(onPrem.object("StorageClass", "dominodisk")?.json.at("parameters")?["nodePath"] == .string("/mnt/domino"))
        #expect(onPrem.object("StorageClass", "dominoshared")?.json.at("mountOptions") == .array([.string("nfsvers=4.1"), .string("mfsymlinks")]))
        let provisioner = try #require(onPrem.object("Deployment", "nfs-client-provisioner"))
        let env = provisioner.json.at("spec.template.spec.containers.0.env")?.arrayValue ?? []
        #expect(env.contains { $0["name"] == .string("NFS_SERVER") && $0["value"] == .string("nfs.research.umbrella.example.org") })
        // Pre-created classes are not rendered.
        #expect(render("openshift.yaml").objects.filter { $0.kind == "StorageClass" }.isEmpty)
    }

    @Test func globalPodSettingsReachEveryPod() throws {
        let result = render("full-control-plane.yaml")
        let pods = result.objects.compactMap { object -> JSONValue? in
            switch object.kind {
            case "Deployment", "StatefulSet", "DaemonSet": return object.json.at("spec.template")
            case "CronJob": return object.json.at("spec.jobTemplate.spec.template")
            default: return nil
            }
        }
        #expect(pods.count > 30)
        for pod in pods {
            #expect(pod.at("metadata.labels")?["cost-center"] == .string("ml-platform"))
            #expect(pod.at("metadata.annotations")?["acme.example.com/owner"] == .string("platform-team"))
            #expect(pod.at("spec.nodeSelector")?["domino-owned"] == .string("true"))
            let env = pod.at("spec.containers.0.env")?.arrayValue ?? []
            #expect(env.contains { $0["name"] == .string("TZ") && $0["value"] == .string("UTC") })
        }
    }

    @Test func securityContextsAndTheirDocumentedExceptions() throws {
        let result = render("full-control-plane.yaml")
        let nucleus = try #require(result.object("Deployment", "nucleus-frontend"))
        #expect(nucleus.json.at("spec.template.spec.containers.0.securityContext.allowPrivilegeEscalation") == .bool(false))
        #expect(nucleus.json.at("spec.template.spec.containers.0.securityContext.capabilities.drop") == .array([.string("ALL")]))
        #expect(nucleus.json.at("spec.template.spec.securityContext.runAsNonRoot") == .bool(true))
        let agent = try #require(result.object("DaemonSet", "image-cache-agent"))
        #expect(agent.json.at("spec.template.spec.containers.0.securityContext.privileged") == .bool(true))
        let es = try #require(result.object("StatefulSet", "elasticsearch"))
        #expect(es.json.at("spec.template.spec.initContainers.0.securityContext.privileged") == .bool(true))
        #expect(es.json.at("spec.template.spec.containers.0.securityContext.runAsNonRoot") == .bool(true))
        let noSysctl = render("full-control-plane.yaml", sets: ["elasticsearch.enable_sysctl=false"]).object("StatefulSet", "elasticsearch")
        #expect(noSysctl?.json.at("spec.template.spec.initContainers") == nil)
    }

    @Test func requestResourcesFalseRendersNoResources() throws {
        let text = ManifestYAML.stream(render("eks.yaml", sets: ["request_resources=false"]).objects)
        #expect(!text.contains("resources:\n            requests"))
        #expect(!text.contains("        requests:\n              cpu"))
        #expect(!text.contains("limits:\n              cpu"))
    }

    @Test func theHostnameIngressFollowsTheTLSSettings() throws {
        let ingress = try #require(render("eks.yaml").object("Ingress", "nucleus"))
        #expect(ingress.json.at("spec.rules.0.host") == .string("domino.acme.example.com"))
        #expect(ingress.json.at("spec.tls.0.hosts.0") == .string("domino.acme.example.com"))
        #expect(ingress.annotations["nginx.ingress.kubernetes.io/ssl-redirect"] == "true")
        let plain = try #require(render("eks.yaml", sets: ["ssl_enabled=false", "ssl_redirect=false"]).object("Ingress", "nucleus"))
        #expect(plain.json.at("spec.tls") == nil)
        #expect(plain.annotations["nginx.ingress.kubernetes.io/ssl-redirect"] == "false")
        #expect(render("eks.yaml").object("Ingress", "keycloak")?.json.at("spec.rules.0.http.paths.0.path") == .string("/auth"))
    }

    /// `chart_values.image.repository` and `.tag` set a release's main image, as Helm charts take them (the values
    /// schema accepted them and the render used to ignore them); offline, the private registry still serves it.
    /// `release_overrides.<release>.chart_values` are the release's Helm chart values
    /// (admin_guide/installation/manage-deployments/aws/deploy.txt; `image.repository|tag` is Helm's convention).
    @Test func aReleasesMainImageFollowsItsChartValues() throws {
        func image(_ result: RenderResult) -> String? {
            result.object("Deployment", "cluster-autoscaler")?.json.at("spec.template.spec.containers.0.image")?.stringValue
        }
        #expect(image(render("eks.yaml")) == "quay.io/domino/autoscaling.cluster-autoscaler:v1.32.0")
        #expect(image(render("eks.yaml", sets: ["release_overrides.cluster-autoscaler.chart_values.image.tag=v1.31.4"]))
                == "quay.io/domino/autoscaling.cluster-autoscaler:v1.31.4")
        #expect(image(render("eks.yaml", sets: ["release_overrides.cluster-autoscaler.chart_values.image.repository=registry.k8s.io/autoscaling/cluster-autoscaler"]))
                == "registry.k8s.io/autoscaling/cluster-autoscaler:v1.32.0")
        let offline = image(render("offline-eks.yaml", sets: ["release_overrides.cluster-autoscaler.chart_values.image.tag=v1.31.4"]))
        #expect(offline?.hasSuffix("/domino/autoscaling.cluster-autoscaler:v1.31.4") == true && offline?.hasPrefix("quay.io") == false, "\(offline ?? "")")
        // As a chart's `image` does, it applies to every container of the release that runs the main image.
        let nucleus = render("eks.yaml", sets: ["release_overrides.nucleus.chart_values.image.tag=6.1.2-hotfix.1"])
        for (kind, name) in [("Deployment", "nucleus-frontend"), ("Deployment", "nucleus-dispatcher"), ("Deployment", "nucleus-train"),
                             ("Job", "nucleus-seed-central-config-defaults")] {
            #expect(nucleus.object(kind, name)?.json.at("spec.template.spec.containers.0.image")?.stringValue == "quay.io/domino/nucleus:6.1.2-hotfix.1",
                    "\(kind) \(name)")
        }
    }

    @Test func replicatedServicesHaveDisruptionBudgetsAndSizedVolumes() throws {
        let result = render("eks.yaml", sets: ["sizing.async_endpoints.endpoints=200"])
        #expect(result.object("PodDisruptionBudget", "postgresql") != nil, "one budget over the replicas, one pod at a time")
        #expect(result.object("PodDisruptionBudget", "postgresql")?.json.at("spec.maxUnavailable") == .number(1))
        #expect(result.object("PodDisruptionBudget", "cluster-autoscaler") == nil)
        let mongo = try #require(result.object("StatefulSet", "mongodb-replicaset"))
        #expect(mongo.json.at("spec.volumeClaimTemplates.0.spec.resources.requests.storage") == .string("110Gi"))
        #expect(mongo.json.at("spec.volumeClaimTemplates.0.spec.storageClassName") == .string("dominodisk"))
        #expect(result.object("HorizontalPodAutoscaler", "nucleus-frontend") != nil)
    }

    @Test func theAutoscalerAndExternalDNSTakeTheirArguments() throws {
        let args = render("eks.yaml").object("Deployment", "cluster-autoscaler")?.json
            .at("spec.template.spec.containers.0.args")?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(args.contains("--cloud-provider=aws"))
        #expect(args.contains("--node-group-auto-discovery=asg:tag=k8s.io/cluster-autoscaler/enabled,k8s.io/cluster-autoscaler/acme-prod"))
        let dns = render("full-control-plane.yaml").object("Deployment", "external-dns")?.json
            .at("spec.template.spec.containers.0.args")?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(dns.contains("--domain-filter=acme.example.com"))
        #expect(dns.contains("--txt-owner-id=acme-full"))
    }

    @Test func dataPlanesRenderOnlyTheirReleases() {
        let result = render("data-plane.yaml")
        #expect(result.object("Deployment", "auth-proxy") != nil)
        // Its platform namespace holds only what a data plane runs there (the CSI driver, fluentd, the image cache),
        // and exists because they do: the API server refuses objects in a namespace that does not exist.
        #expect(result.objects.filter { $0.namespace == "domino-platform" }.allSatisfy {
            ["aws-ebs-csi-driver", "fluentd", "image-cache", "prometheus-node-exporter", "smarter-device-manager", "kiln-base"].contains($0.release)
        })
        #expect(result.object("Namespace", "domino-platform") != nil)
        #expect(result.object("StatefulSet", "mongodb-replicaset") == nil)
        #expect(result.objects.allSatisfy { $0.kind != "Ingress" })
    }

    @Test func everyObjectCarriesTheStandardLabels() {
        for object in render("eks.yaml").objects {
            #expect(object.labels["app.kubernetes.io/managed-by"] == "kiln", "\(object.identity)")
            #expect(object.labels["kiln.dev/release"] == object.release, "\(object.identity)")
            #expect(object.labels["kiln.dev/config-revision"]?.count == 16, "\(object.identity)")
        }
    }

    @Test func theExportedResourceCarriesTheConfigButNoSecret() throws {
        let (resource, problems) = PlatformRenderer.exportResource(exampleView("eks.yaml"))
        #expect(problems.isEmpty)
        let cr = try #require(resource)
        #expect(cr.apiVersion == "kiln.dev/v1alpha1" && cr.kind == "Platform")
        #expect(cr.json.at("spec.config.hostname") == .string("domino.acme.example.com"))
        #expect(cr.json.at("spec.config.ssl_enabled") == .bool(true))
        #expect(cr.json.at("spec.config.helm.image_registries.0.password") == .string("${env:QUAY_PASSWORD}"))
        let literal = exampleView("eks.yaml", sets: ["helm.image_registries[0].password=hunter2"])
        let (refused, errors) = PlatformRenderer.exportResource(literal)
        #expect(refused == nil)
        #expect(errors.map(\.path) == ["helm.image_registries[0].password"])
        #expect(!errors.map(\.message).joined().contains("hunter2"))
    }

    @Test func gitopsWrappersCarryTheOrder() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = render("eks.yaml")
        _ = try ManifestWriter.write(result, to: dir.path, options: .init(includeSecrets: true,
                                                                          gitops: GitOpsOptions(engine: .flux, path: "clusters/acme", source: "platform")))
        let nucleus = try String(contentsOf: dir.appendingPathComponent("flux/nucleus.yaml"), encoding: .utf8)
        #expect(nucleus.contains("kind: Kustomization"))
        #expect(nucleus.contains("path: ./clusters/acme/nucleus"))
        #expect(nucleus.contains("- name: mongodb"))
        #expect(nucleus.contains("- name: kiln-base"))
        _ = try ManifestWriter.write(result, to: dir.path, options: .init(includeSecrets: true,
                                                                          gitops: GitOpsOptions(engine: .argocd, path: "acme", source: "https://git.example.com/platform.git")))
        let app = try String(contentsOf: dir.appendingPathComponent("argocd/nucleus.yaml"), encoding: .utf8)
        #expect(app.contains("argocd.argoproj.io/sync-wave: \"\(result.waves["nucleus"]!)\""))
        #expect((result.waves["nucleus"] ?? 0) > (result.waves["mongodb"] ?? 0))
        // The Flux wrappers of the earlier render were removed (they left the tree).
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("flux/nucleus.yaml").path))
    }
}
