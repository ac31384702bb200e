import Foundation
@testable import Manifests
import Schema
import Testing

/// Control planes serving remote data planes, and remote data planes that know their control plane
/// (admin_guide/security-and-compliance/control-plane-security.txt, admin_guide/architecture/nexus-hybrid-architecture.txt,
/// admin_guide/platform-management/manage-data-planes/enable-data-plane.txt).
struct NexusTests {
    @Test func vaultRabbitMQAndTheRegistryGetLoadBalancersOfTheirOwnForTheDataPlanesOnly() throws {
        let result = render("full-control-plane.yaml")
        let expected: [(String, [Int])] = [("vault-external", [8200]), ("rabbitmq-ha-311-external", [5672, 5552]),
                                           ("docker-registry-external", [443])]
        for (name, ports) in expected {
            let service = try #require(result.object("Service", name), "\(name)")
            #expect(service.json.at("spec.type")?.stringValue == "LoadBalancer")
            #expect(service.json.at("spec.ports")?.arrayValue?.compactMap { $0["port"]?.numberValue }.map { Int($0) } == ports)
            #expect(service.json.at("spec.loadBalancerSourceRanges.0")?.stringValue == "10.20.0.0/16")
            #expect(service.annotations["service.beta.kubernetes.io/aws-load-balancer-scheme"] == "internal")
        }
        // The registry's load balancer terminates TLS on 443 in front of its plain port.
        #expect(result.object("Service", "docker-registry-external")?.json.at("spec.ports.0.targetPort")?.stringValue == "registry")
    }

    @Test func theReleasesNetworkPoliciesAdmitTheDataPlaneRanges() throws {
        let vault = try #require(render("full-control-plane.yaml").objects.first { $0.kind == "NetworkPolicy" && $0.name == "vault" })
        let text = vault.json.jsonText
        #expect(text.contains("10.20.0.0/16") && text.contains("8200"))
    }

    @Test func theDataPlaneRecordsNameTheExternalHosts() throws {
        let map = try #require(render("full-control-plane.yaml").object("ConfigMap", NucleusHook.records))
        #expect(map.json["data"]?["com.cerebro.domino.hybrid.vaultExternal.host"]?.stringValue == "vault.acme.example.com")
        #expect(map.json["data"]?["com.cerebro.domino.computegrid.kubernetes.executor.rabbitMqExternal.host"]?.stringValue
                == "rabbitmq.acme.example.com")
        #expect(map.json["data"]?["com.cerebro.domino.computegrid.kubernetes.executor.rabbitMqExternal.port"]?.stringValue == "5672")
        #expect(map.json["data"]?["com.cerebro.domino.hybrid.internalRegistryExternal.host"]?.stringValue == "registry.acme.example.com")
    }

    @Test func withoutNexusNothingIsExposed() {
        #expect(!render("eks.yaml").objects.contains { $0.name.hasSuffix("-external") })
    }

    @Test func aRemoteDataPlanesAgentKnowsItsControlPlaneAndRefersToItsRegistrationSecret() throws {
        let agent = try #require(render("data-plane.yaml").object("Deployment", "data-plane-agent"))
        let env = agent.json.at("spec.template.spec.containers.0.env")?.arrayValue ?? []
        #expect(env.contains { $0["name"]?.stringValue == "DOMINO_CONTROL_PLANE_HOST" && $0["value"]?.stringValue == "domino.acme.example.com" })
        let token = try #require(env.first { $0["name"]?.stringValue == "DOMINO_DATA_PLANE_TOKEN" })
        #expect(token.at("valueFrom.secretKeyRef.name")?.stringValue == DataPlaneHook.registrationSecret)
        #expect(token.at("valueFrom.secretKeyRef.optional")?.boolValue == true)
    }

    /// The data-plane load balancer selects `app.kubernetes.io/{component,instance,name}=auth-proxy`, port 8080.
    @Test func theAuthProxyIsExposedWithTheLabelsTheDocsSelect() throws {
        let result = render("data-plane.yaml")
        let service = try #require(result.object("Service", "auth-proxy"))
        #expect(service.json.at("spec.type")?.stringValue == "LoadBalancer")
        #expect(service.json.at("spec.ports.0.targetPort")?.numberValue == 8080)
        let deployment = try #require(result.object("Deployment", "auth-proxy"))
        for (key, value) in DataPlaneHook.proxyLabels {
            #expect(service.json.at("spec.selector")?[key]?.stringValue == value)
            #expect(deployment.json.at("spec.template.metadata.labels")?[key]?.stringValue == value)
        }
        // Its release's network policy still selects it, and admits the load balancer on 8080.
        let policy = try #require(result.objects.first { $0.kind == "NetworkPolicy" && $0.name == "data-plane" })
        let selected = policy.json.at("spec.podSelector.matchLabels")?[ObjectLabels.release]?.stringValue
        #expect(selected == "data-plane")
        #expect(deployment.json.at("spec.template.metadata.labels")?[ObjectLabels.release]?.stringValue == "data-plane")
        #expect(policy.json.jsonText.contains("8080"))
    }
}
