import Foundation
import Testing

struct InitMigrateCommandTests {
    func temporaryDirectory() throws -> URL {
        let dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("kiln-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func initWritesAFileOnceAndValidateListsItsPlaceholders() async throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let first = try await KilnBinary.run(["init", "--preset", "gke", "-o", "acme.yaml"], in: dir)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("values to fill in"))
        let written = try String(contentsOf: dir.appendingPathComponent("acme.yaml"), encoding: .utf8)
        #expect(written.hasPrefix("# yaml-language-server: $schema="))

        let again = try await KilnBinary.run(["init", "--preset", "gke", "-o", "acme.yaml"], in: dir)
        #expect(again.status == 1)
        #expect(again.stderr.contains("exists; pass --force"))
        #expect(try String(contentsOf: dir.appendingPathComponent("acme.yaml"), encoding: .utf8) == written)

        let check = try await KilnBinary.run(["validate", "acme.yaml"], in: dir)
        #expect(check.status == 1)
        #expect(check.stdout.contains("error[KILN-C004]: `hostname` is not filled in"))
        // Nothing but the config is left in the directory (no temporary file).
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["acme.yaml"])
    }

    @Test func initToStandardOutputAndOfflineUsage() async throws {
        let out = try await KilnBinary.run(["init", "--preset", "data-plane", "--set", "name=dp-west"])
        #expect(out.status == 0)
        #expect(out.stdout.contains("name: dp-west"))
        #expect(out.stdout.contains("control_plane: false"))
        #expect(try await KilnBinary.run(["init", "--offline"]).status == 2)
        #expect(try await KilnBinary.run(["init", "--preset", "nope"]).status == 2)
        let offline = try await KilnBinary.run(["init", "--preset", "eks", "--offline", "--image-registry", "registry.example.com:5000"])
        #expect(offline.status == 0)
        #expect(offline.stdout.contains("image_registry: registry.example.com:5000"))
    }

    @Test func migratePrintsTheConfigAndItsChanges() async throws {
        let r = try await KilnBinary.run(["migrate", "Tests/ConfigTests/Fixtures/legacy/domino-schema-1.9.yaml"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("schema: \"1.14\""))
        #expect(!r.stdout.contains("token"))
        #expect(r.stderr.contains("removed mixpanel.token"))
        let json = try await KilnBinary.run(["migrate", "--format", "json", "Tests/ConfigTests/Fixtures/legacy/aks-schema-1.0.yaml"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["from"] as? String == "1.0")
        #expect(object["valid"] as? Bool == true)
        #expect((object["changes"] as? [[String: Any]])?.count ?? 0 > 20)
        #expect(try await KilnBinary.run(["migrate", "--to", "2.0", "examples/eks.yaml"]).status == 2)
    }

    @Test func migrateWritesAFileAndLeavesACurrentConfigAlone() async throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let legacy = KilnBinary.package.appendingPathComponent("Tests/ConfigTests/Fixtures/legacy/eks-schema-1.4.yaml").path
        let r = try await KilnBinary.run(["migrate", legacy, "-o", "new.yaml"], in: dir)
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("could not map pod_cidr"))
        let again = try await KilnBinary.run(["migrate", "new.yaml"], in: dir)
        #expect(again.status == 0)
        #expect(again.stdout.contains("already at schema 1.14; nothing to change"))
    }

    @Test func migrateOfACurrentConfigStillWritesTheOutputFile() async throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // A comment and no final newline: the copy must be the same bytes, not a re-emitted config.
        let original = try String(contentsOf: KilnBinary.package.appendingPathComponent("examples/eks.yaml"), encoding: .utf8)
            + "# kept as written"
        try original.write(to: dir.appendingPathComponent("current.yaml"), atomically: true, encoding: .utf8)
        let r = try await KilnBinary.run(["migrate", "current.yaml", "-o", "out.yaml"], in: dir)
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("already at schema 1.14; nothing to change"))
        #expect(r.stdout.contains("wrote out.yaml (unchanged)"))
        #expect(try String(contentsOf: dir.appendingPathComponent("out.yaml"), encoding: .utf8) == original)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["current.yaml", "out.yaml"])

        // An existing output is replaced only with --force, as for a migrated config.
        try "stale\n".write(to: dir.appendingPathComponent("out.yaml"), atomically: true, encoding: .utf8)
        let refused = try await KilnBinary.run(["migrate", "current.yaml", "-o", "out.yaml"], in: dir)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("exists; pass --force"))
        #expect(try String(contentsOf: dir.appendingPathComponent("out.yaml"), encoding: .utf8) == "stale\n")
        let forced = try await KilnBinary.run(["migrate", "current.yaml", "-o", "out.yaml", "--force", "--format", "json"], in: dir)
        #expect(forced.status == 0, "\(forced.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(forced.stdout.utf8)) as? [String: Any])
        #expect(json["changed"] as? Bool == false)
        #expect(json["output"] as? String == "out.yaml")
        #expect(try String(contentsOf: dir.appendingPathComponent("out.yaml"), encoding: .utf8) == original)
    }

    @Test func explainWithAConfigSaysWhereTheValueCameFrom() async throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try "preset: eks\nname: acme\nstorage_classes:\n  block:\n    name: gp3\n".write(
            to: dir.appendingPathComponent("acme.yaml"), atomically: true, encoding: .utf8)
        let r = try await KilnBinary.run(["explain", "storage_classes.block.name", "--config", "acme.yaml"], in: dir)
        #expect(r.status == 0)
        #expect(r.stdout.contains("value:  gp3"))
        #expect(r.stdout.contains("origin: set by preset default (presets/default.yaml:43), overridden by preset eks (presets/eks.yaml:15), overridden by acme.yaml:5"))
    }

    @Test func schemaPrintsTheEmbeddedSchema() async throws {
        let r = try await KilnBinary.run(["schema"])
        #expect(r.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(json["$id"] as? String == "urn:kiln:install-config:1.14")
    }
}
