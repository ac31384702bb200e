import Foundation
import Testing

struct ReleasesSizeCommandTests {
    @Test func releasesPrintsTheConfiguredReleasesTable() async throws {
        let r = try await KilnBinary.run(["releases", "examples/gpu-newrelic.yaml", "--installed-only", "--extended-only"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("SERVICE") == true)
        #expect(lines.contains { $0.hasPrefix("newrelic-infrastructure") && $0.contains("installed") && $0.contains("extended") })
        #expect(lines.contains { $0.hasPrefix("dcgm-exporter") && $0.contains("monitoring.gpu_metrics: true") })
        #expect(!lines.contains { $0.hasPrefix("nucleus") })
    }

    @Test func releasesShowsNotCompatibleAndExitsOne() async throws {
        let r = try await KilnBinary.run(["releases", "Tests/PlatformTests/Fixtures/invalid/p003-newrelic-core-catalog.yaml", "--extended-only"])
        #expect(r.status == 1)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        let row = try #require(lines.firstIndex { $0.hasPrefix("nri-metadata-injection") })
        #expect(lines[row + 1] == "** NOT COMPATIBLE with current setting: extended_catalog - false! **")
    }

    @Test func removedOnlyAndJSON() async throws {
        let r = try await KilnBinary.run(["releases", "examples/eks.yaml", "--removed-only", "--format", "json"])
        #expect(r.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let rows = try #require(json["releases"] as? [[String: Any]])
        #expect(rows.map { $0["service"] as? String } == ["backend"])
        #expect(rows.first?["catalog"] as? String == "N/A")
    }

    @Test func dependenciesListOnlyReleasesThePlanInstalls() async throws {
        // On a data plane image-cache's catalog dependency mongodb (and data-plane's istio) is not installed.
        let json = try await KilnBinary.run(["releases", "examples/data-plane.yaml", "--format", "json"])
        #expect(json.status == 0, "\(json.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let rows = try #require(object["releases"] as? [[String: Any]])
        let installed = rows.filter { $0["status"] as? String == "installed" }.compactMap { $0["service"] as? String }
        let row = { (name: String) in rows.first { $0["service"] as? String == name } }
        #expect(row("image-cache")?["dependencies"] as? [String] == [])
        #expect(row("data-plane")?["dependencies"] as? [String] == ["cert-manager"])
        for r in rows {
            let dependencies = r["dependencies"] as? [String] ?? []
            #expect(dependencies.allSatisfy(installed.contains), "\(r["service"] ?? "") lists \(dependencies)")
            // An installed release comes after what it waits for.
            if let order = r["order"] as? Int {
                #expect(dependencies.allSatisfy { d in (row(d)?["order"] as? Int ?? .max) < order })
            }
        }

        // The text table lists the same installed releases, in the same install order.
        let text = try await KilnBinary.run(["releases", "examples/data-plane.yaml", "--installed-only"])
        #expect(text.status == 0, "\(text.stderr)")
        let services = text.stdout.split(separator: "\n").dropFirst().map { String($0.split(separator: " ")[0]) }
        #expect(services == installed)
        #expect(!text.stdout.contains("mongodb"))

        // The render's dependency map is the same plan: the Flux wrappers depend only on rendered releases.
        let dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("kiln-deps-\(UUID().uuidString)")
        defer {
            try? FileManager.default.removeItem(at: dir)
            try? FileManager.default.removeItem(atPath: dir.path + ".secrets")
        }
        let render = try await KilnBinary.run(["render", KilnBinary.package.appendingPathComponent("examples/data-plane.yaml").path,
                                         "-o", dir.path, "--gitops", "flux", "--gitops-path", "dp"], environment: ["QUAY_PASSWORD": "x"])
        #expect(render.status == 0, "\(render.stderr)")
        let imageCache = try String(contentsOf: dir.appendingPathComponent("flux/image-cache.yaml"), encoding: .utf8)
        #expect(imageCache.hasSuffix("  dependsOn:\n    - name: kiln-base\n"), "\(imageCache)")
        for release in installed {
            let wrapper = try String(contentsOf: dir.appendingPathComponent("flux/\(release).yaml"), encoding: .utf8)
            for line in wrapper.split(separator: "\n") where line.hasPrefix("    - name: ") {
                let name = String(line.dropFirst("    - name: ".count))
                #expect(name == "kiln-base" || installed.contains(name), "\(release) depends on \(name)")
            }
        }
    }

    @Test func sizeShowsWorkloadsTotalsAndFit() async throws {
        let r = try await KilnBinary.run(["size", "examples/eks.yaml"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("profile: standard (the default profile): 3 platform nodes × 16 CPU / 64Gi"))
        #expect(r.stdout.contains("mongodb-replicaset"))
        #expect(r.stdout.contains("fit: fits"))
        let large = try await KilnBinary.run(["size", "examples/eks.yaml", "--profile", "large", "--format", "json"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(large.stdout.utf8)) as? [String: Any])
        #expect(json["profile"] as? String == "large")
        #expect(json["nodes"] as? Int == 5)
        #expect(try await KilnBinary.run(["size", "examples/eks.yaml", "--profile", "huge"]).status == 2)
    }

    @Test func sizeFailsWhenThePlatformDoesNotFit() async throws {
        let dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("kiln-size-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "preset: gke\nname: acme\nhostname: domino.example.com\nrelease_overrides:\n  nucleus:\n    chart_values:\n      replicaCount: 20\n"
            .write(to: dir.appendingPathComponent("big.yaml"), atomically: true, encoding: .utf8)
        let sets = ["--set", "helm.image_registries[0].username=a", "--set", "storage_classes.shared.nfs.server=10.0.0.2",
                    "--set", "blob_storage.backups.gcs.bucket=b", "--set", "blob_storage.backups.gcs.service_account_name=s",
                    "--set", "blob_storage.backups.gcs.project_name=p", "--set", "external_docker_registry=r.example.com/x",
                    "--set", "image_building.cloud_registry_auth.gcp.service_account=sa"]
        let r = try await KilnBinary.run(["size", "big.yaml"] + sets, in: dir)
        #expect(r.status == 1, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("fit: DOES NOT FIT"))
        #expect(r.stdout.contains("largest consumers: nucleus/nucleus-frontend"))
        #expect(try await KilnBinary.run(["size", "big.yaml", "--profile", "xl"] + sets, in: dir).status == 0)
        // validate warns but does not fail: node sizes in a real cluster may be larger than the profile's.
        let v = try await KilnBinary.run(["validate", "big.yaml"] + sets, in: dir)
        #expect(v.status == 0, "\(v.stdout)")
        #expect(v.stdout.contains("warning[KILN-P007]"))
    }
}
