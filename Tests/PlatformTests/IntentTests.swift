import Config
import Foundation
import Platform
import Testing

/// Golden intent tables: Fixtures/intents/<example>.txt holds, for every release, its status, catalog and reason
/// for that example. Regenerate after a deliberate catalog change with `KILN_UPDATE_GOLDEN=1 swift test`.
struct IntentTests {
    static let examples = ["default.yaml", "eks.yaml", "aks.yaml", "gke.yaml", "openshift.yaml", "on-prem.yaml",
                           "data-plane.yaml", "data-plane-eks.yaml", "offline-eks.yaml", "fips-istio.yaml",
                           "gpu-newrelic.yaml", "full-control-plane.yaml"]

    static func table(_ plan: ReleasePlan) -> String {
        plan.intents.map { "\($0.release.name)\t\($0.status.rawValue)\t\($0.catalogLabel)\t\($0.reason)" }
            .joined(separator: "\n") + "\n"
    }

    @Test(arguments: examples)
    func theIntentOfEveryReleaseIsPinnedForEachExample(_ example: String) throws {
        let text = Self.table(ReleasePlan(exampleView(example)))
        let golden = Paths.intents.appendingPathComponent(example.replacingOccurrences(of: ".yaml", with: ".txt"))
        if ProcessInfo.processInfo.environment["KILN_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: Paths.intents, withIntermediateDirectories: true)
            try text.write(to: golden, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: golden, encoding: .utf8)
        #expect(text == expected, "\(example): intents changed; if on purpose, run KILN_UPDATE_GOLDEN=1 swift test")
    }

    @Test func dataPlanesRunOnlyDataPlaneReleases() {
        let plan = ReleasePlan(exampleView("data-plane.yaml"))
        let installed = Set(plan.installed.map(\.release.name))
        #expect(installed.contains("data-plane"))
        for controlPlaneOnly in ["nucleus", "mongodb", "keycloak", "docker-registry", "data-plane-agent", "grafana"] {
            #expect(!installed.contains(controlPlaneOnly), "\(controlPlaneOnly)")
        }
        #expect(plan.intent("nucleus")?.reason == "control plane only (this is a data-plane install)")
        #expect(plan.installed.allSatisfy { $0.release.planes != .controlPlane })
        #expect(!ReleasePlan(exampleView("eks.yaml")).installed.contains { $0.release.name == "data-plane" })
    }

    @Test func extendedReleasesWithoutTheExtendedCatalogAreNotCompatible() {
        let plan = ReleasePlan(view(minimalConfig + "monitoring:\n  newrelic:\n    apm: true\n    infrastructure: true\n"))
        let incompatible = plan.intents.filter(\.incompatible).map(\.release.name)
        #expect(incompatible == ["newrelic-events", "newrelic-infrastructure", "newrelic-logging", "newrelic-open-metrics",
                                 "newrelic-prometheus-agent", "nri-metadata-injection"])
        #expect(ReleasePlan(view(minimalConfig + "extended_catalog: true\nmonitoring:\n  newrelic:\n    apm: true\n"))
            .intents.filter(\.incompatible).isEmpty)
    }

    @Test func overridesDecideAndSayWhy() {
        let plan = ReleasePlan(view(minimalConfig + "release_overrides:\n  csi-driver-smb:\n    installed: true\n  image-cache:\n    installed: false\n"))
        #expect(plan.intent("csi-driver-smb")?.status == .installed)
        #expect(plan.intent("csi-driver-smb")?.reason == "release_overrides.csi-driver-smb.installed: true")
        #expect(plan.intent("image-cache")?.status == .notInstalled)
        #expect(plan.intent("backend")?.status == .uninstalled)
        #expect(plan.intent("backend")?.catalogLabel == "N/A")
        #expect(plan.intent("gpu.enabled") == nil)
        #expect(plan.intent("nvidia-device-plugin")?.reason == "gpu.enabled: false")
    }

    @Test func installOrderPutsDependenciesFirst() {
        let order = ReleasePlan(exampleView("fips-istio.yaml")).installOrder.map(\.name)
        func index(_ name: String) -> Int { order.firstIndex(of: name) ?? -1 }
        #expect(index("istio") < index("mongodb"))
        #expect(index("cert-manager") < index("nginx-ingress"))
        #expect(index("postgresql") < index("keycloak"))
        #expect(index("keycloak") < index("nucleus"))
        #expect(index("mongodb") < index("nucleus"))
        #expect(index("nucleus") < index("data-plane-agent"))
        #expect(index("prometheus") < index("grafana"))
        // Each level needs only earlier levels; the first needs nothing installed.
        let levels = ReleasePlan(exampleView("fips-istio.yaml")).installLevels
        var earlier = Set<String>()
        for level in levels {
            let installed = Set(order)
            for release in level {
                #expect(release.dependencies.filter(installed.contains).allSatisfy(earlier.contains), "\(release.name)")
            }
            earlier.formUnion(level.map(\.name))
        }
        #expect(levels.first?.map(\.name).contains("istio") == true)
        #expect(levels.count >= 4)
        // Every installed release appears once, and none that is not installed.
        #expect(Set(order).count == order.count)
        #expect(order.count == ReleasePlan(exampleView("fips-istio.yaml")).installed.count)
    }
}
