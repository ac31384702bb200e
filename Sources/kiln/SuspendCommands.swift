import ArgumentParser
import Foundation
import Kube
import Manifests
import Operator
import Schema

/// `kiln suspend` and `kiln resume`: the Platform's `spec.suspend`, or one release's (its PlatformRelease's).
struct SuspendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "suspend", abstract: "Stop the operator reconciling the platform (or one release) and correcting its drift.",
        discussion: "`kiln resume` undoes it. Exit codes: 0 done, 1 no such Platform or release, 3 cluster unreachable.")

    @Argument(help: "A release (default: the whole platform).")
    var release: String?

    @OptionGroup var admin: PlatformAdminOptions

    func run() async throws { try await setSuspend(true, release: release, admin: admin) }
}

struct ResumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume", abstract: "Let the operator reconcile the platform (or one release) again; it reconciles at once.",
        discussion: "Exit codes: 0 done, 1 no such Platform or release, 3 cluster unreachable.")

    @Argument(help: "A release (default: the whole platform).")
    var release: String?

    @OptionGroup var admin: PlatformAdminOptions

    func run() async throws { try await setSuspend(false, release: release, admin: admin) }
}

struct SuspendLine: Encodable {
    let platform: String
    let release: String?
    let suspended: Bool
}

func setSuspend(_ suspend: Bool, release: String?, admin: PlatformAdminOptions) async throws {
    let client = try admin.client()
    do {
        let platform = try await admin.platformObject(client)
        let name = platform.objectName
        let body: JSONValue = .object([("spec", .object([("suspend", .bool(suspend))]))])
        if let release {
            let ref = ObjectReference(apiVersion: PlatformResource.apiVersion, kind: PlatformReleaseResource.kind, namespace: admin.namespace,
                                      name: PlatformReleaseName.of(platform: name, release: release))
            guard try await client.get(ref) != nil else {
                printError("Platform \(name) has no release \(release) (`kiln get releases` lists them)")
                throw ExitCode(1)
            }
            try await admin.patch(client, ref, body)
        } else {
            try await admin.patch(client, KubeClient.reference(platform), body)
        }
        if admin.output.format == .json {
            printJSON(SuspendLine(platform: name, release: release, suspended: suspend))
        } else {
            print("\(release.map { "release \($0) of " } ?? "")Platform \(name) \(suspend ? "suspended" : "resumed")")
        }
    } catch let code as ExitCode { throw code } catch { throw clusterFailure(error) }
}

struct ReconcileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconcile", abstract: "Ask the operator to reconcile now (sets kiln.dev/reconcile-requested-at).",
        discussion: """
            A release name is checked and reported; the operator applies the whole platform (its waves depend on each \
            other), which changes only what differs. Exit codes: 0 requested, 1 no such Platform or release, 3 cluster \
            unreachable.
            """)

    @Argument(help: "A release (the platform is reconciled as a whole).")
    var release: String?

    @OptionGroup var admin: PlatformAdminOptions

    struct Line: Encodable {
        let platform: String
        let release: String?
        let requestedAt: String
    }

    func run() async throws {
        let client = try admin.client()
        do {
            let platform = try await admin.platformObject(client)
            let name = platform.objectName
            if let release {
                let ref = ObjectReference(apiVersion: PlatformResource.apiVersion, kind: PlatformReleaseResource.kind, namespace: admin.namespace,
                                          name: PlatformReleaseName.of(platform: name, release: release))
                guard try await client.get(ref) != nil else {
                    printError("Platform \(name) has no release \(release) (`kiln get releases` lists them)")
                    throw ExitCode(1)
                }
            }
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            let now = formatter.string(from: Date())
            let body: JSONValue = .object([("metadata", .object([("annotations", .object([
                (PlatformResource.reconcileRequestedAnnotation, .string(now))]))]))])
            try await admin.patch(client, KubeClient.reference(platform), body)
            if admin.output.format == .json { printJSON(Line(platform: name, release: release, requestedAt: now)) } else {
                print("reconcile of Platform \(name)\(release.map { " (for release \($0))" } ?? "") requested at \(now)")
            }
        } catch let code as ExitCode { throw code } catch { throw clusterFailure(error) }
    }
}
