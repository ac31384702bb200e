import Foundation
import Testing

struct ExplainCommandTests {
    @Test func explainsAKey() async throws {
        let r = try await KilnBinary.run(["explain", "storage_classes.block.type"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("type:      string"))
        #expect(r.stdout.contains("allowed:   `ebs`, `gce`, `azure-disk`, `hostpath`, `ceph-rdb`"))
        #expect(r.stdout.contains("reference: admin_guide/configuration/installer-configuration.txt"))
    }

    @Test func explainsASectionAsJSON() async throws {
        let r = try await KilnBinary.run(["explain", "namespaces.platform", "--format", "json"])
        #expect(r.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let keys = (json["keys"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
        #expect(keys == ["name", "annotations", "labels"])
    }

    /// The kind rules table, as the one table render, apply, prune, --force and drift read.
    @Test func explainWavesPrintsTheKindRules() async throws {
        let r = try await KilnBinary.run(["explain", "waves"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("PersistentVolumeClaim           release      protected  never"))
        #expect(r.stdout.contains("PodDisruptionBudget             release      always     yes"))
        #expect(r.stdout.contains("spec.template.metadata.annotations[kubectl.kubernetes.io/restartedAt]"))
        let json = try await KilnBinary.run(["explain", "waves", "--format", "json"])
        #expect(r.stdout.contains("the sidecars a service mesh adds to pod templates (istio-init, istio-proxy, linkerd-init, linkerd-proxy)"))
        #expect(r.stdout.contains("drift also leaves spec.replicas of a workload an autoscaler of the render scales"))
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(report["injectedSidecars"] as? [String] == ["istio-init", "istio-proxy", "linkerd-init", "linkerd-proxy"])
        #expect(report["scaledByAutoscaler"] as? String == "spec.replicas")
        let rows = try #require(report["kinds"] as? [[String: Any]])
        #expect(rows.first?["kind"] as? String == "CustomResourceDefinition")
        #expect(rows.first { $0["kind"] as? String == "Namespace" }?["stage"] as? String == "definitions")
        #expect(rows.first { $0["kind"] as? String == "StorageClass" }?["neverRecreated"] == nil)
    }

    @Test func anUnknownKeyExitsOneWithASuggestion() async throws {
        let r = try await KilnBinary.run(["explain", "hostnme"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("did you mean `hostname`?"))
    }

    @Test func explainsARuleCode() async throws {
        let r = try await KilnBinary.run(["explain", "KILN-R001"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("Exactly one of `internal_docker_registry` and `external_docker_registry`"))
        let list = try await KilnBinary.run(["explain", "--list-codes"])
        #expect(list.stdout.split(separator: "\n").count >= 40)
    }

    @Test func versionNamesTheSchema() async throws {
        let r = try await KilnBinary.run(["version"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("install-config schema 1.14"))
    }
}

struct ExplainEveryCodeTests {
    @Test func everyCodeOfEveryModuleIsExplained() async throws {
        let list = try await KilnBinary.run(["explain", "--list-codes", "--format", "json"])
        let codes = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
        let names = codes.compactMap { $0["code"] as? String }
        #expect(Set(names).count == names.count)
        for prefix in ["KILN-Y", "KILN-S", "KILN-C", "KILN-R", "KILN-P", "KILN-M"] {
            #expect(names.contains { $0.hasPrefix(prefix) }, "\(prefix)")
        }
        for code in ["KILN-M001", "KILN-P003", "KILN-R025", "KILN-Y004"] {
            #expect(try await KilnBinary.run(["explain", code]).status == 0, "\(code)")
        }
    }
}
