import ArgumentParser
import Bundle
import Config
import Diagnostics
import Foundation
import Manifests
import Operator
import Platform

struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render the platform as Kubernetes manifests, deterministically, for GitOps or kubectl.",
        discussion: """
            The config is validated first; with errors nothing is written. The same config always renders the same \
            bytes.

            --layout dir (default) writes DIR/<release>/<kind>-<name>.yaml with a kustomization.yaml in each release \
            and at the top (`kubectl kustomize DIR` builds it); files are replaced whole and stale ones from an earlier \
            render of DIR are removed. --layout stream writes one multi-document YAML to standard output.

            Secrets (registry credentials, storage keys, tokens) stay out of the tree: they go to DIR.secrets (or \
            --secrets-dir, mode 0700/0600) and the tree refers to them by name, unless --include-secrets. Values \
            written as ${env:NAME} or ${file:PATH} are read now; a missing one is an error naming it.

            --gitops flux|argocd adds per-release Flux Kustomizations (dependsOn) or Argo CD Applications (sync \
            waves). Their paths start at the root of the Git repository that holds DIR (the nearest .git above it), \
            or --gitops-path.

            --pin-digests LOCK renders every image by digest (registry/repository@sha256:…) from a lock file \
            (kiln-images.lock.json, as `kiln bundle create` writes it), so the cluster runs exactly the bundled bytes; \
            an offline config's private-registry references are pinned with the digests of their upstream images. An \
            image the lock does not name is an error naming it, and nothing is written.

            --export-cr prints the Platform resource for the config instead (the reference's `create domino --export`); \
            with --secrets-dir DIR it is the resource for `kiln operator`: the config's ${env:}/${file:} values go to a \
            Secret in DIR and the resource refers to them as ${secret:NAME/KEY}.
            """
    )

    @Argument(help: "The config.")
    var file: String

    @Option(name: .shortAndLong, help: ArgumentHelp("Directory to write (for --layout dir).", valueName: "dir"))
    var output: String?

    @Option(help: "dir: a directory per release; stream: one multi-document YAML on standard output.")
    var layout: Layout = .dir

    @Option(help: ArgumentHelp("Add GitOps objects: flux or argocd.", valueName: "engine"))
    var gitops: GitOpsEngine?

    @Option(help: ArgumentHelp("Where the output directory sits in its Git repository, from the repository's root (default: found from the .git above -o).", valueName: "path"))
    var gitopsPath: String?

    @Option(help: ArgumentHelp("Flux: GitRepository name (default kiln). Argo CD: repository URL.", valueName: "source"))
    var gitopsSource: String?

    @Flag(help: "Write Secret objects into the tree (by default they go to a separate directory).")
    var includeSecrets = false

    @Option(help: ArgumentHelp("Where Secret objects go (default: DIR.secrets).", valueName: "dir"))
    var secretsDir: String?

    @Option(help: ArgumentHelp("Size for this profile instead of the config's.", valueName: "profile"))
    var profile: String?

    @Option(help: ArgumentHelp("Render every image by the digest this lock file records.", valueName: "lock"))
    var pinDigests: String?

    @Flag(help: "Print the Platform custom resource for the config and nothing else.")
    var exportCr = false

    @OptionGroup var layers: LayerOptions
    @OptionGroup var format: OutputOptions

    enum Layout: String, ExpressibleByArgument { case dir, stream }

    func validate() throws {
        if layout == .dir, output == nil, !exportCr { throw ValidationError("--layout dir needs -o DIR (or use --layout stream)") }
        if let profile, SizingProfile.named(profile) == nil { throw ValidationError("unknown profile \(profile)") }
        if gitops == .argocd, gitopsSource == nil { throw ValidationError("--gitops argocd needs --gitops-source REPOSITORY-URL") }
        if gitops != nil, layout == .stream { throw ValidationError("--gitops writes files: use --layout dir") }
        if exportCr, pinDigests != nil { throw ValidationError("--export-cr prints the config, not images: drop --pin-digests") }
    }

    func run() throws {
        if exportCr {
            let config = try validConfig(layers.request(file), color: format.color.enabled)
            if let secretsDir { return try exportForOperator(config, secretsDir: secretsDir) }
            let (resource, problems) = PlatformRenderer.exportResource(config)
            guard let resource else {
                FileHandle.standardError.write(Data(DiagnosticRenderer().text(problems.map { $0.inFile(file) }, sources: [:]).utf8))
                throw ExitCode(1)
            }
            print(ManifestYAML.text(resource), terminator: "")
            return
        }
        let pinning = try pinDigests.map { ImagePinning(lock: try readLock($0)) }
        let (_, result) = try renderedPlatform(file, layers: layers, color: format.color.enabled, profile: profile.flatMap(SizingProfile.named),
                                           refusal: "nothing was written", images: pinning?.rewrite)
        if let pinning, let lock = pinDigests, !pinning.missing.isEmpty {
            for image in pinning.missing { printError("\(image) is not in \(lock): it cannot be pinned") }
            printError("nothing was written (\(pinning.missing.count) image(s) missing from the lock; `kiln images` lists them all)")
            throw ExitCode(1)
        }
        switch layout {
        case .stream:
            print(ManifestYAML.stream(includeSecrets ? result.objects : result.withoutSecrets), terminator: "")
            if !includeSecrets, !result.secrets.isEmpty {
                FileHandle.standardError.write(Data("note: \(result.secrets.count) Secret(s) left out (--include-secrets writes them)\n".utf8))
            }
        case .dir:
            guard let output else { return }
            let gitopsOptions = gitops.map {
                GitOpsOptions(engine: $0, path: repositoryPath(of: output), source: gitopsSource ?? "kiln")
            }
            let summary: ManifestWriter.Summary
            do {
                summary = try ManifestWriter.write(result, to: output, options: .init(
                    includeSecrets: includeSecrets, secretsDirectory: secretsDir, gitops: gitopsOptions))
            } catch {
                printError("\(error)")
                throw ExitCode(1)
            }
            if format.format == .json {
                printJSON(["objects": summary.objects, "written": summary.written, "unchanged": summary.unchanged,
                           "removed": summary.removed, "secrets": summary.secrets, "releases": result.releases.count])
            } else {
                var line = "rendered \(summary.objects) objects in \(result.releases.count) releases to \(output): "
                    + "\(summary.written) written, \(summary.unchanged) unchanged, \(summary.removed) removed"
                if let secretsDirectory = summary.secretsDirectory { line += "; \(summary.secrets) Secret(s) to \(secretsDirectory)" }
                print(line)
            }
        }
    }

    /// The engines read paths from the repository's root: --gitops-path as given, else where the .git above the
    /// output directory puts it.
    func repositoryPath(of output: String) -> String {
        if let gitopsPath { return gitopsPath }
        let found = GitRepositoryPath.of(output)
        if !found.inRepository {
            FileHandle.standardError.write(Data(("note: \(output) is not in a Git repository (no .git above it): the GitOps "
                + "paths are relative to the current directory; --gitops-path sets them\n").utf8))
        }
        return found.path
    }
}

extension GitOpsEngine: ExpressibleByArgument {}

extension Render {
    /// `--export-cr --secrets-dir DIR`: the resource as the operator reads it. Each `${env:}`/`${file:}` value is read
    /// now into one Secret written to DIR (mode 0700/0600, outside the GitOps tree), and the resource refers to it as
    /// `${secret:NAME/KEY}`, so the resource holds no secret and needs nothing from the environment.
    func exportForOperator(_ config: ConfigView, secretsDir: String) throws {
        let (exported, problems) = PlatformExport.export(config, namespace: PlatformResource.namespace)
        guard let exported else {
            FileHandle.standardError.write(Data(DiagnosticRenderer().text(problems.map { $0.inFile(file) }, sources: [:]).utf8))
            throw ExitCode(1)
        }
        if let secret = exported.secret {
            try FileManager.default.createDirectory(atPath: secretsDir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let path = (secretsDir as NSString).appendingPathComponent("\(secret.name).yaml")
            try FileOutput.write(ManifestYAML.text(secret), to: path, overwrite: true, mode: 0o600, durable: false)
            FileHandle.standardError.write(Data("wrote Secret \(secret.name) (keys \(exported.keys.joined(separator: ", "))) to \(path): apply it before the resource\n".utf8))
        }
        print(ManifestYAML.text(exported.platform), terminator: "")
    }
}
