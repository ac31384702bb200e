import Foundation
import Testing

struct RenderCommandTests {
    func temporaryDirectory() throws -> URL {
        let dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("kiln-render-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    let env = ["QUAY_PASSWORD": "quay-pw-123", "SMTP_PASSWORD": "smtp-pw-456"]

    @Test func rendersATreeAndKeepsSecretsOutside() async throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let example = KilnBinary.package.appendingPathComponent("examples/eks.yaml").path
        let r = try await KilnBinary.run(["render", example, "-o", "out"], in: dir, environment: env)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("rendered "))
        #expect(r.stdout.contains("Secret(s) to out.secrets"))
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out/nucleus/deployment-nucleus-frontend.yaml").path))
        // Nothing else is left beside the tree (no temporary files).
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["out", "out.secrets"])
        // The line names the directory the Secrets went to, with or without a trailing slash on -o.
        let slashed = try await KilnBinary.run(["render", example, "-o", "out/"], in: dir, environment: env)
        #expect(slashed.stdout.contains("Secret(s) to out.secrets"), "\(slashed.stdout)")
        let again = try await KilnBinary.run(["render", example, "-o", "out", "--format", "json"], in: dir, environment: env)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any])
        #expect(json["written"] as? Int == 0)
        let stream = try await KilnBinary.run(["render", example, "--layout", "stream"], in: dir, environment: env)
        #expect(stream.status == 0)
        #expect(stream.stdout.hasPrefix("---\napiVersion: apiextensions.k8s.io/v1\n"))
        #expect(!stream.stdout.contains("quay-pw-123"))
        #expect(!stream.stdout.contains("kind: Secret"))
        #expect(stream.stderr.contains("Secret(s) left out"))
    }

    @Test func aMissingVariableWritesNothing() async throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let example = KilnBinary.package.appendingPathComponent("examples/eks.yaml").path
        let r = try await KilnBinary.run(["render", example, "-o", "out"], in: dir, environment: ["QUAY_PASSWORD": "x", "SMTP_PASSWORD": ""])
        // SMTP_PASSWORD is set (empty): the render goes through. Unset it:
        #expect(r.status == 0)
        let process = try await KilnBinary.run(["render", example, "-o", "out2"], in: dir, environment: ["QUAY_PASSWORD": "x"], unset: ["SMTP_PASSWORD"])
        #expect(process.status == 1)
        #expect(process.stderr.contains("environment variable SMTP_PASSWORD is not set"))
        #expect(process.stderr.contains("nothing was written"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out2").path))
    }

    @Test func anInvalidConfigRendersNothing() async throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let bad = KilnBinary.package.appendingPathComponent("Tests/ConfigTests/Fixtures/invalid/r003-empty-block-name.yaml").path
        let r = try await KilnBinary.run(["render", bad, "-o", "out"], in: dir)
        #expect(r.status == 1)
        #expect(r.stderr.contains("error[KILN-R003]"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out").path))
    }

    @Test func gitopsPathsAreRelativeToTheRepositoryRoot() async throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let example = KilnBinary.package.appendingPathComponent("examples/eks.yaml").path
        func wrapper(_ path: String) throws -> String {
            try String(contentsOf: dir.appendingPathComponent(path), encoding: .utf8)
        }
        // An absolute -o inside a repository (a .git directory above it): the path from the repository's root.
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("repo/.git"), withIntermediateDirectories: true)
        let flux = try await KilnBinary.run(["render", example, "-o", dir.path + "/repo/clusters/prod", "--gitops", "flux"], environment: env)
        #expect(flux.status == 0, "\(flux.stderr)")
        let kustomization = try wrapper("repo/clusters/prod/flux/nucleus.yaml")
        #expect(kustomization.contains("\n  path: ./clusters/prod/nucleus\n"), "\(kustomization)")
        #expect(!flux.stderr.contains("not in a Git repository"))

        // A .git file (a worktree or submodule) marks the root as well; -o the root itself; Argo CD has no `./`.
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("worktree"), withIntermediateDirectories: true)
        try "gitdir: /elsewhere/.git/worktrees/w\n".write(to: dir.appendingPathComponent("worktree/.git"), atomically: true, encoding: .utf8)
        let argo = try await KilnBinary.run(["render", example, "-o", "worktree/", "--gitops", "argocd",
                                       "--gitops-source", "https://git.example.com/platform.git"], in: dir, environment: env)
        #expect(argo.status == 0, "\(argo.stderr)")
        #expect(try wrapper("worktree/argocd/nucleus.yaml").contains("\n    path: nucleus\n"))

        // No repository: relative to the current directory, and kiln says so.
        let plain = try await KilnBinary.run(["render", example, "-o", "./out", "--gitops", "flux"], in: dir, environment: env)
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(try wrapper("out/flux/nucleus.yaml").contains("\n  path: ./out/nucleus\n"))
        #expect(plain.stderr.contains("note: ./out is not in a Git repository"))

        // --gitops-path is taken as the path from the root, its leading ./ and trailing / dropped.
        let given = try await KilnBinary.run(["render", example, "-o", dir.path + "/repo/x", "--gitops", "argocd", "--gitops-source",
                                        "https://git.example.com/platform.git", "--gitops-path", "./clusters/acme/"], environment: env)
        #expect(given.status == 0, "\(given.stderr)")
        #expect(try wrapper("repo/x/argocd/nucleus.yaml").contains("\n    path: clusters/acme/nucleus\n"))
        let fluxGiven = try await KilnBinary.run(["render", example, "-o", dir.path + "/repo/y", "--gitops", "flux",
                                            "--gitops-path", "clusters/acme/"], environment: env)
        #expect(fluxGiven.status == 0, "\(fluxGiven.stderr)")
        #expect(try wrapper("repo/y/flux/nucleus.yaml").contains("\n  path: ./clusters/acme/nucleus\n"))

        // No wrapper anywhere carries an absolute path or a `.//`.
        let wrappers = try FileManager.default.subpathsOfDirectory(atPath: dir.path)
            .filter { ($0.contains("/flux/") || $0.contains("/argocd/")) && !$0.hasSuffix("kustomization.yaml") }
        #expect(wrappers.count > 100)
        for path in wrappers {
            let text = try wrapper(path)
            #expect(!text.contains("path: /") && !text.contains("path: .//"), "\(path)")
        }
    }

    @Test func exportCRPrintsThePlatformResource() async throws {
        let r = try await KilnBinary.run(["render", "examples/gke.yaml", "--export-cr"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("apiVersion: kiln.dev/v1alpha1\nkind: Platform\n"))
        #expect(r.stdout.contains("  config:\n"))
        #expect(try await KilnBinary.run(["render", "examples/gke.yaml"]).status == 2)
    }
}
