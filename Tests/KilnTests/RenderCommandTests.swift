import Foundation
import Testing

struct RenderCommandTests {
    func temporaryDirectory() throws -> URL {
        let dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("kiln-render-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    let env = ["QUAY_PASSWORD": "quay-pw-123", "SMTP_PASSWORD": "smtp-pw-456"]

    @Test func rendersATreeAndKeepsSecretsOutside() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let example = KilnBinary.package.appendingPathComponent("examples/eks.yaml").path
        let r = try KilnBinary.run(["render", example, "-o", "out"], in: dir, environment: env)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("rendered "))
        #expect(r.stdout.contains("Secret(s) to out.secrets"))
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out/nucleus/deployment-nucleus-frontend.yaml").path))
        let again = try KilnBinary.run(["render", example, "-o", "out", "--format", "json"], in: dir, environment: env)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any])
        #expect(json["written"] as? Int == 0)
        let stream = try KilnBinary.run(["render", example, "--layout", "stream"], in: dir, environment: env)
        #expect(stream.status == 0)
        #expect(stream.stdout.hasPrefix("---\napiVersion: apiextensions.k8s.io/v1\n"))
        #expect(!stream.stdout.contains("quay-pw-123"))
        #expect(!stream.stdout.contains("kind: Secret"))
        #expect(stream.stderr.contains("Secret(s) left out"))
    }

    @Test func aMissingVariableWritesNothing() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let example = KilnBinary.package.appendingPathComponent("examples/eks.yaml").path
        let r = try KilnBinary.run(["render", example, "-o", "out"], in: dir, environment: ["QUAY_PASSWORD": "x", "SMTP_PASSWORD": ""])
        // SMTP_PASSWORD is set (empty): the render goes through. Unset it:
        #expect(r.status == 0)
        let process = try KilnBinary.run(["render", example, "-o", "out2"], in: dir, environment: ["QUAY_PASSWORD": "x"], unset: ["SMTP_PASSWORD"])
        #expect(process.status == 1)
        #expect(process.stderr.contains("environment variable SMTP_PASSWORD is not set"))
        #expect(process.stderr.contains("nothing was written"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out2").path))
    }

    @Test func anInvalidConfigRendersNothing() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let bad = KilnBinary.package.appendingPathComponent("Tests/ConfigTests/Fixtures/invalid/r003-empty-block-name.yaml").path
        let r = try KilnBinary.run(["render", bad, "-o", "out"], in: dir)
        #expect(r.status == 1)
        #expect(r.stderr.contains("error[KILN-R003]"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out").path))
    }

    @Test func exportCRPrintsThePlatformResource() throws {
        let r = try KilnBinary.run(["render", "examples/gke.yaml", "--export-cr"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("apiVersion: kiln.dev/v1alpha1\nkind: Platform\n"))
        #expect(r.stdout.contains("  config:\n"))
        #expect(try KilnBinary.run(["render", "examples/gke.yaml"]).status == 2)
    }
}
