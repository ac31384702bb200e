import Apply
import ArgumentParser
import Bundle
import Foundation
import Manifests

struct ApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Apply the platform to a cluster: server-side apply in dependency waves, waiting for each to be ready.",
        discussion: """
            The config is validated and rendered first; with errors nothing is sent. Objects go out wave by wave \
            (namespaces and CRDs, cluster objects, then each release level), a wave's objects in parallel, and each wave \
            is waited for (Deployments rolled out, StatefulSets ready, Jobs complete, claims bound...) before the next.

            kiln is the field manager `kiln`; fields another manager owns stop the apply with its name, unless \
            --force-conflicts. Every object is labelled as a member of kiln's ApplySet (a Secret in the system \
            namespace, KEP-3659), and --prune deletes members that left the config once every wave succeeded, listing \
            them first; PersistentVolumeClaims, Namespaces and CRDs are never pruned without --prune-protected.

            Passwords the platform's own services set up (Keycloak's admin, Grafana's admin, the admin toolkit's web \
            UI) are rendered as Secrets without values (annotation kiln.dev/generated-keys): the first apply generates \
            each value once (32 random letters and digits, field manager kiln-secret-generator) and never changes or \
            prints it; a value already there (set by an admin) is kept. Read one with `kubectl get secret`.

            A change the server refuses because the field cannot change after creation (a StorageClass's parameters, a \
            StatefulSet's claim templates, a Job's template) stops the apply naming the field; --force deletes such an \
            object and creates it again (never a PersistentVolumeClaim, PersistentVolume, Namespace or CRD). A dry run \
            lists them as warnings. `kiln explain waves` prints the rules kiln follows per kind.

            kiln refuses to apply over another platform: the inventory records the platform's name and whether it is \
            a control plane or a data plane.

            Progress goes to standard error (a live line per wave on a terminal); the summary to standard output.

            Exit codes: 0 applied, 1 invalid config, refused object or failed wait, 3 cluster unreachable or refused the \
            credentials.
            """
    )

    @OptionGroup var target: ClusterCommandOptions

    @Flag(help: "Send everything as a server-side dry run: the server validates and defaults, nothing is stored.")
    var dryRun = false

    @Flag(help: "Take ownership of fields another field manager holds.")
    var forceConflicts = false

    @Flag(help: "Delete and recreate objects whose immutable fields changed (never claims, volumes, namespaces or CRDs).")
    var force = false

    @Flag(help: "Delete objects kiln applied before that the config no longer renders.")
    var prune = false

    @Flag(help: "With --prune, also delete PersistentVolumeClaims, Namespaces and CRDs (their data goes with them).")
    var pruneProtected = false

    @Flag(help: "Do not wait for readiness between waves.")
    var noWait = false

    @Option(help: ArgumentHelp("Run every image by digest from this lock (kiln-images.lock.json), as `kiln render --pin-digests`.", valueName: "lock"))
    var pinDigests: String?

    func validate() throws {
        if pruneProtected, !prune { throw ValidationError("--prune-protected only makes sense with --prune") }
    }

    func run() async throws {
        let progress = ApplyProgress(format: target.format)
        let pinning = try pinDigests.map { ImagePinning(lock: try readLock($0)) }
        let (result, manager, inventory) = try target.access.connect(target.file, layers: target.layers, images: pinning?.rewrite,
                                                                     observe: progress.record)
        if let pinning, let lock = pinDigests, !pinning.missing.isEmpty {
            for image in pinning.missing { printError("\(image) is not in \(lock): it cannot be pinned") }
            printError("nothing was sent to the cluster (\(pinning.missing.count) image(s) missing from the lock)")
            throw ExitCode(1)
        }
        var options = target.tuning.options()
        options.dryRun = dryRun
        options.forceConflicts = forceConflicts
        options.recreate = force
        options.prune = prune
        options.pruneProtected = pruneProtected
        options.wait = !noWait
        let summary: ApplySummary
        do {
            summary = try await manager.apply(result, inventory: inventory, options: options)
        } catch {
            // A CI log that reads the event stream sees the failure as its last event, as well as on standard error.
            if target.format == .json { printJSON(FailureLine(error), pretty: false) }
            throw clusterFailure(error)
        }
        if target.format == .json {
            printJSON(SummaryLine(summary: summary, dryRun: dryRun), pretty: false)
        } else {
            let total = summary.created + summary.configured + summary.unchanged + summary.recreated + summary.immutable
            var counts = "\(summary.created) created, \(summary.configured) configured, \(summary.unchanged) unchanged"
            if summary.recreated > 0 { counts += ", \(summary.recreated) recreated" }
            if summary.immutable > 0 { counts += ", \(summary.immutable) need --force" }
            if summary.generatedKeys > 0 { counts += ", \(summary.generatedKeys) secret value(s) \(dryRun ? "to generate" : "generated")" }
            print("\(dryRun ? "dry run: " : "")applied \(total) objects to \(manager.client.target.origin) in "
                  + "\(ApplyProgress.seconds(summary.seconds)): \(counts), \(summary.pruned) pruned")
        }
    }

    struct FailureLine: Encodable {
        let event = "failed"
        let object: String?
        let message: String
        let details: [String]?

        init(_ error: Error) {
            let failure = error as? ApplyFailure
            object = failure?.object
            message = failure?.reason ?? "\(error)"
            details = failure?.details
        }
    }

    struct SummaryLine: Encodable {
        let event = "summary"
        let summary: ApplySummary
        let dryRun: Bool
    }
}
