import Config
import Foundation
import TestSupport
import Manifests
import Schema
import Testing

/// Every key of schema 1.14 configures the platform: a valid change of its value, in a config where it applies,
/// changes the rendered objects; or the key is inert by design and says why (`InertKeys`).
///
/// The configs are the examples, written from the deploy pages so that between them every section is set
/// (`aks-azure-flyte.yaml` and `gke-gcs.yaml` carry the Azure and GCS options the others do not).
struct ConfigCoverageTests {
    static let configs: [(name: String, root: Instance)] = {
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: Paths.examples.path)) ?? [])
            .filter { $0.hasSuffix(".yaml") }.sorted().map { Paths.examples.appendingPathComponent($0) }
        return files.compactMap { url in
            ConfigLoader.load(ConfigRequest(path: url.path)).root.map { (url.lastPathComponent, $0) }
        }
    }()

    static let leaves = InstallConfigSchema.shared.leaves

    /// What a key does across the configs: the first config where it lands, or why it lands nowhere.
    static func outcome(_ leaf: SchemaLeaf) -> (landed: Bool, note: String) {
        var effectless: [String] = []
        var invalid: [String] = []
        for (name, root) in configs {
            switch KeyLanding.landing(of: leaf, in: root) {
            case .lands(let change, let targets):
                return (true, "\(name): \(change) → \(targets.first!.identity)")
            case .noEffect(let tried): effectless.append("\(name) (\(tried) changes)")
            case .noValidChange: invalid.append(name)
            case .notApplicable: break
            }
        }
        if !effectless.isEmpty { return (false, "no effect in " + effectless.prefix(4).joined(separator: ", ")) }
        if !invalid.isEmpty { return (false, "no valid change in " + invalid.prefix(4).joined(separator: ", ")) }
        return (false, "no config sets its section")
    }

    /// Minutes of rendering, off the cooperative pool (`offPool`).
    @Test func atLeastNinetyFivePercentOfKeysChangeTheRenderAndTheRestSayWhy() async {
        let outcomes = await offPool { Self.leaves.map { ($0, Self.outcome($0)) } }
        var landed = 0
        var silent: [String] = []
        var inertThatLand: [String] = []
        for (leaf, result) in outcomes {
            let key = leaf.path.patternDescription
            if InertKeys.reason(key) != nil {
                if result.landed { inertThatLand.append("\(key): \(result.note)") }
                continue
            }
            if result.landed { landed += 1 } else { silent.append("\(key): \(result.note)") }
        }
        let mutable = Self.leaves.count - InertKeys.reasons.count
        let share = Double(landed) / Double(mutable)
        print("config coverage: \(landed) of \(mutable) mutable keys change the render (\(Int(share * 100))%); "
              + "\(InertKeys.reasons.count) inert by design")
        for line in silent { print("  no effect: \(line)") }
        #expect(inertThatLand.isEmpty, "declared inert but they change the render: \(inertThatLand)")
        #expect(share >= 0.95, "\(silent.count) keys change nothing:\n\(silent.joined(separator: "\n"))")
    }

    @Test func everyInertKeyIsASchemaLeaf() {
        let keys = Set(Self.leaves.map(\.path.patternDescription))
        for key in InertKeys.reasons.keys { #expect(keys.contains(key), "\(key) is not a key of schema 1.14") }
    }

    @Test func aLandingNamesTheObjectsAndFields() throws {
        // email_notifications.server reaches the SMTP host the platform's services read.
        let leaf = try #require(Self.leaves.first { $0.path.patternDescription == "ingress_controller.class_name" })
        let root = try #require(Self.configs.first { $0.name == "eks.yaml" }?.root)
        guard case .lands(_, let targets) = KeyLanding.landing(of: leaf, in: root) else {
            Issue.record("ingress_controller.class_name lands nowhere")
            return
        }
        #expect(targets.contains { $0.kind == "IngressClass" })
        #expect(targets.contains { $0.kind == "Ingress" && $0.fields.contains("spec.ingressClassName") })
    }
}
