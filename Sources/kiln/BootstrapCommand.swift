import Apply
import ArgumentParser
import Config
import Diagnostics
import Foundation
import Kube
import Manifests
import Operator
import Platform

struct BootstrapCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bootstrap",
        abstract: "Install the operator: namespace, CRDs, RBAC, pull secret, Deployment, and (from --config) the Platform.",
        discussion: """
            Applied with server-side apply, so running it again changes only what differs (an operator upgrade: \
            --skip-platform with a new --operator-image). The registry pull secret comes from QUAY_USERNAME and \
            QUAY_PASSWORD, else from the config's first helm.image_registries entry. From --config FILE the Platform \
            resource is installed too: the config's ${env:NAME} and ${file:PATH} values are read now into the Secret \
            <platform>-config-secrets, which the resource refers to as ${secret:…}, so it holds no secret itself.

            --export prints the manifests instead (for GitOps) without any Secret: it names the Secrets to create. \
            --dry-run sends everything as a server-side dry run.

            Exit codes: 0 installed, 1 invalid config or a refused object, 3 cluster unreachable.
            """
    )

    @Option(help: ArgumentHelp("Install the Platform resource for this config.", valueName: "file"))
    var config: String?

    @OptionGroup var layers: LayerOptions
    @OptionGroup var access: ClusterAccess

    @Option(name: [.customShort("n"), .long], help: ArgumentHelp("The operator's namespace.", valueName: "name"))
    var namespace = PlatformResource.namespace

    @Option(help: ArgumentHelp("The operator's image.", valueName: "image"))
    var operatorImage = OperatorInstall().image

    @Option(help: ArgumentHelp("Pull the operator's image from this registry (offline installs).", valueName: "host[:port]"))
    var imageRegistry: String?

    @Option(help: ArgumentHelp("Operator replicas (one leads; the others wait on the Lease).", valueName: "n"))
    var replicas = 2

    @Flag(help: "The namespace exists already: do not create it.")
    var skipNamespace = false
    @Flag(help: "Install no registry pull secret.")
    var skipRegistrySecret = false
    @Flag(help: "Install no Platform resource (an operator upgrade).")
    var skipPlatform = false
    @Flag(help: "OpenShift: let the restricted SCC assign the operator's user.")
    var openshift = false
    @Flag(help: "Send everything as a server-side dry run.")
    var dryRun = false
    @Flag(help: "Print the manifests (without Secrets) instead of installing.")
    var export = false
    @Flag(help: "Do not wait for the operator to become ready.")
    var noWait = false

    func validate() throws {
        if replicas < 1 { throw ValidationError("--replicas must be at least 1") }
        if skipPlatform, config != nil { throw ValidationError("--skip-platform installs no Platform: drop --config") }
    }

    func run() async throws {
        var install = OperatorInstall()
        install.namespace = namespace
        install.image = operatorImage
        install.imageRegistry = imageRegistry
        install.replicas = replicas
        install.openshift = openshift
        install.skipNamespace = skipNamespace
        let view = try config.map { try validConfig(layers.request($0), color: access.output.color.enabled) }
        if !skipRegistrySecret { install.registry = try registryCredentials(view) }
        var exported: PlatformExport.Exported?
        if let view, !skipPlatform {
            let (result, problems) = PlatformExport.export(view, namespace: namespace)
            guard let result else {
                FileHandle.standardError.write(Data(DiagnosticRenderer(color: access.output.color.enabled)
                    .text(problems.map { $0.inFile(config ?? "") }, sources: [:]).utf8))
                printError("nothing was installed")
                throw ExitCode(1)
            }
            exported = result
        }
        if export { return printExport(install, exported) }
        let manager = try access.cluster.manager(observe: ApplyProgress(format: access.output.format).record)
        var options = access.tuning.options()
        options.dryRun = dryRun
        options.wait = !noWait
        do {
            let operatorObjects = install.objects()
            let summary = try await manager.apply(Self.result(operatorObjects), inventory: ApplySet(name: "kiln-operator-applyset", namespace: namespace),
                                                  options: options)
            report("operator", summary)
            if let exported {
                // The Platform is not waited for: the operator reports on it (`kiln get platform`).
                options.wait = false
                let objects = [exported.secret, exported.platform].compactMap { $0 }
                do {
                    let summary = try await manager.apply(Self.result(objects), inventory: ApplySet(name: "kiln-platform-applyset", namespace: namespace),
                                                          options: options)
                    report("Platform \(exported.platform.name)", summary)
                } catch let error as KubeError where dryRun && error.status == 404 {
                    // A dry run on a fresh cluster: the CRD (or namespace) the resource needs is not there yet.
                    print("dry run: Platform \(exported.platform.name) would be created once its CRD is installed")
                }
            }
        } catch {
            throw clusterFailure(error)
        }
    }

    /// Objects as a render, so apply's waves order them: namespace and CRDs, cluster RBAC, then the rest.
    static func result(_ objects: [ManifestObject]) -> RenderResult {
        let releases = Array(Set(objects.map(\.release))).sorted()
        return RenderResult(objects: objects, releases: releases, waves: Dictionary(uniqueKeysWithValues: releases.map { ($0, 1) }),
                            dependencies: [:], diagnostics: [])
    }

    func report(_ what: String, _ summary: ApplySummary) {
        if access.output.format == .json {
            printJSON(SummaryLine(installed: what, summary: summary, dryRun: dryRun), pretty: false)
        } else {
            print("\(dryRun ? "dry run: " : "")\(what): \(summary.created) created, \(summary.configured) configured, \(summary.unchanged) unchanged")
        }
    }

    struct SummaryLine: Encodable {
        let installed: String
        let summary: ApplySummary
        let dryRun: Bool
    }

    /// QUAY_USERNAME and QUAY_PASSWORD, else the config's first registry with credentials; nil (and a note) when none.
    func registryCredentials(_ view: ConfigView?) throws -> (server: String, username: String, password: String)? {
        let environment = ProcessInfo.processInfo.environment
        if let username = environment["QUAY_USERNAME"], let password = environment["QUAY_PASSWORD"], !username.isEmpty, !password.isEmpty {
            return (imageRegistry ?? "quay.io", username, password)
        }
        if let view, let entry = view.list("helm.image_registries").first,
           let server = entry["server"]?.text, let username = entry["username"]?.text, let reference = entry["password"]?.text {
            let (password, problems) = SecretValues().value(of: reference, at: "helm.image_registries[0].password")
            if let password { return (server, username, password) }
            printError(problems.map(\.message).joined(separator: "; "))
            throw ExitCode(1)
        }
        FileHandle.standardError.write(Data("note: no registry credentials (QUAY_USERNAME/QUAY_PASSWORD or the config's helm.image_registries): no pull secret\n".utf8))
        return nil
    }

    func printExport(_ install: OperatorInstall, _ exported: PlatformExport.Exported?) {
        let objects = install.objects() + [exported?.secret, exported?.platform].compactMap { $0 }
        print(objects.filter { !$0.isSecret }.map { ManifestYAML.text($0) }.joined(separator: "---\n"), terminator: "")
        for secret in objects.filter(\.isSecret) {
            let keys = exported?.secret?.name == secret.name ? exported?.keys ?? [] : [".dockerconfigjson"]
            FileHandle.standardError.write(Data("note: not printed: Secret \(install.namespace)/\(secret.name) (keys: \(keys.joined(separator: ", "))); create it outside the GitOps tree\n".utf8))
        }
    }
}
