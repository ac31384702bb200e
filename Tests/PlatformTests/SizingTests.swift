import Config
import Platform
import Testing

struct SizingTests {
    @Test func profilesAreTheReferenceTables() {
        #expect(SizingProfile.standard.nodes == 3 && SizingProfile.standard.maxConcurrentExecutions == 300)
        #expect(SizingProfile.large.nodes == 5 && SizingProfile.large.maxConcurrentExecutions == 600)
        #expect(SizingProfile.xl.nodes == 6 && SizingProfile.xl.maxConcurrentExecutions == 1500)
        for p in SizingProfile.all {
            #expect(p.cpuPerNode == CPU(millicores: 16000))
            #expect(p.memoryPerNode == .gi(64))
        }
        #expect(SizingProfile.smallest(supporting: 300) == .standard)
        #expect(SizingProfile.smallest(supporting: 301) == .large)
        #expect(SizingProfile.smallest(supporting: 1500) == .xl)
        #expect(SizingProfile.smallest(supporting: 1501) == nil)
    }

    @Test func theProfileComesFromExecutionsWhenNoneIsNamed() {
        #expect(SizingPlan(view(minimalConfig + "sizing:\n  max_concurrent_executions: 450\n")).profile == .large)
        #expect(SizingPlan(view(minimalConfig + "sizing:\n  profile: xl\n")).profile == .xl)
        #expect(SizingPlan(view(minimalConfig)).profile == .standard)
        #expect(SizingPlan(view(minimalConfig + "sizing:\n  profile: xl\n"), profile: .large).profile == .large)
    }

    @Test func asyncEndpointStorageReproducesTheReferenceExamples() {
        let d = AsyncEndpointStorage.defaults
        // 100 endpoints × 5,000 documents × 10 KiB × 2 days ≈ 10 GiB; twice that for RabbitMQ ≈ 20 GiB.
        #expect((d.mongoBytes / 1073741824).rounded() == 10)
        #expect((d.rabbitBytes / 1073741824).rounded() == 19 || (d.rabbitBytes / 1073741824).rounded() == 20)
        #expect(abs(d.mongoBytes - 100 * 5000 * 10240 * 2) < 1)
        #expect(abs(d.rabbitBytes - 2 * d.mongoBytes) < 1)
        // The default volumes cover the default load.
        #expect(d.mongoVolume == .gi(100))
        #expect(d.rabbitVolume == .gi(25))
    }

    @Test func moreAsyncLoadGrowsTheVolumes() {
        let config = view(minimalConfig + "sizing:\n  async_endpoints:\n    endpoints: 200\n")
        let storage = AsyncEndpointStorage(config)
        // Twice the endpoints: another ≈ 9.5 GiB for MongoDB and ≈ 19.1 GiB for RabbitMQ, rounded up to whole GiB.
        #expect(storage.mongoVolume == .gi(110))
        #expect(storage.rabbitVolume == .gi(45))
        let plan = SizingPlan(config)
        #expect(plan.workloads.first { $0.name == "mongodb-replicaset" }?.volume?.size == .gi(110))
        #expect(plan.workloads.first { $0.name == "rabbitmq-ha-311" }?.volume?.size == .gi(45))
        let small = AsyncEndpointStorage(view(minimalConfig + "sizing:\n  async_endpoints:\n    endpoints: 10\n"))
        #expect(small.mongoVolume == .gi(100))
    }

    @Test func profilesScaleReplicasAndResources() throws {
        func workload(_ name: String, _ profile: SizingProfile) throws -> SizedWorkload {
            try #require(SizingPlan(view(minimalConfig), profile: profile).workloads.first { $0.name == name })
        }
        #expect(try workload("nucleus-frontend", .standard).replicas == 2)
        #expect(try workload("nucleus-frontend", .large).replicas == 4)   // 2 × 5/3, rounded up
        #expect(try workload("nucleus-frontend", .xl).replicas == 4)
        #expect(try workload("mongodb-replicaset", .standard).requests?.cpu == CPU(millicores: 1000))
        #expect(try workload("mongodb-replicaset", .xl).requests?.cpu == CPU(millicores: 2000))
        #expect(try workload("mongodb-replicaset", .xl).replicas == 3)
        #expect(try workload("kube-state-metrics", .xl).requests == workload("kube-state-metrics", .standard).requests)
    }

    @Test func databasesGetRequestsButNeverLimits() {
        for w in SizingPlan(view(minimalConfig), profile: .xl).workloads
        where ["mongodb", "postgresql", "rabbitmq-ha", "elasticsearch"].contains(w.release) {
            #expect(w.requests != nil)
            #expect(w.limits == nil, "\(w.name)")
        }
    }

    @Test func requestResourcesFalseRendersNoRequestsOrLimits() {
        let plan = SizingPlan(view(minimalConfig + "request_resources: false\n"))
        #expect(plan.workloads.allSatisfy { $0.requests == nil && $0.limits == nil })
        #expect(!plan.fit.checked && plan.fit.fits)
    }

    @Test func minimalResourcesShrinksToTheMinimum() {
        let normal = SizingPlan(view(minimalConfig))
        let minimal = SizingPlan(view(minimalConfig + "minimal_resources: true\n"))
        #expect(minimal.workloads.allSatisfy { $0.replicas <= 1 })
        #expect(minimal.fit.requested.cpu < normal.fit.requested.cpu)
        #expect(minimal.workloads.first { $0.name == "nucleus-frontend" }?.requests?.cpu == CPU(millicores: 500))
    }

    @Test func theDataPlaneAgentFollowsItsSizingPage() throws {
        let standard = try #require(SizingPlan(view(minimalConfig)).workloads.first { $0.name == "data-plane-agent" })
        let large = try #require(SizingPlan(view(minimalConfig), profile: .large).workloads.first { $0.name == "data-plane-agent" })
        #expect(large.requests == ResourceAmounts("2000m", "2Gi"))
        #expect(large.limits == ResourceAmounts("4000m", "4Gi"))
        #expect(standard.requests != large.requests)
    }

    @Test func keycloakRunsOneReplicaOn610() throws {
        func keycloak(_ v: String) throws -> SizedWorkload {
            try #require(SizingPlan(view(minimalConfig.replacingOccurrences(of: "6.1.2", with: v))).workloads.first { $0.name == "keycloak" })
        }
        #expect(try keycloak("6.1.0").replicas == 1)
        #expect(try keycloak("6.1.1").replicas == 2)
    }

    @Test func theStandardExamplesFitTheirProfile() {
        for example in ["eks.yaml", "full-control-plane.yaml", "gke.yaml"] {
            let fit = SizingPlan(exampleView(example)).fit
            #expect(fit.fits, "\(example)")
            #expect(fit.cpuUse > 0.2 && fit.cpuUse < 0.9)
        }
    }

    @Test func aPlatformTooBigForItsNodesFailsAndNamesTheLargestConsumers() {
        let config = view(minimalConfig + "release_overrides:\n  nucleus:\n    chart_values:\n      replicaCount: 20\n")
        let plan = SizingPlan(config)
        #expect(plan.workloads.first { $0.name == "nucleus-frontend" }?.replicas == 20)
        #expect(!plan.fit.fits)
        #expect(plan.fit.largestConsumers(1).first?.name == "nucleus/nucleus-frontend")
        #expect(SizingPlan(config, profile: .xl).fit.fits)
    }

    @Test func quantitiesReadAndWriteKubernetesForms() {
        #expect(CPU("500m") == CPU(millicores: 500))
        #expect(CPU("1.5") == CPU(millicores: 1500))
        #expect("\(CPU(millicores: 2000))" == "2")
        #expect(Memory("2Gi") == .gi(2))
        #expect("\(Memory.mi(1536))" == "1536Mi")
        #expect("\(Memory.gi(8))" == "8Gi")
    }
}
