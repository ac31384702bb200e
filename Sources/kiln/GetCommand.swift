import ArgumentParser
import Foundation
import Kube
import Manifests
import Operator
import Schema

struct GetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "Show the operator's resources: the platform, or its releases.",
        subcommands: [GetPlatform.self, GetReleases.self]
    )
}

struct GetPlatform: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "platform", abstract: "The Platform resources: NAME, VERSION, READY, MESSAGE, DRY RUN, SUSPENDED.",
        discussion: "Exit codes: 0 shown, 1 none found, 3 cluster unreachable.", aliases: ["platforms"])

    @OptionGroup var admin: PlatformAdminOptions

    struct Row: Encodable {
        let name, version, ready, message: String
        let dryRun, suspended: Bool
    }

    func run() async throws {
        let client = try admin.client()
        let items: [JSONValue]
        do {
            items = admin.platform != nil ? [try await admin.platformObject(client)]
                : try await client.list(apiVersion: PlatformResource.apiVersion, kind: PlatformResource.kind, namespace: admin.namespace)
        } catch let code as ExitCode { throw code } catch { throw clusterFailure(error) }
        let rows = items.map { item in
            Row(name: item.objectName, version: item["spec"]?["version"]?.stringValue ?? "", ready: item.conditionStatus("Ready"),
                message: item["status"]?["message"]?.stringValue ?? "", dryRun: item["spec"]?["dryRun"]?.boolValue ?? false,
                suspended: item["spec"]?["suspend"]?.boolValue ?? false)
        }.sorted { $0.name < $1.name }
        if admin.output.format == .json { printJSON(rows); return }
        guard !rows.isEmpty else {
            printError("no Platform in namespace \(admin.namespace)")
            throw ExitCode(1)
        }
        print(table(["NAME", "VERSION", "READY", "MESSAGE", "DRY RUN", "SUSPENDED"],
                    rows.map { [$0.name, $0.version, $0.ready, $0.message, "\($0.dryRun)", "\($0.suspended)"] }))
    }
}

struct GetReleases: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "releases", abstract: "The PlatformReleases: NAME, READY, REASON, MESSAGE, DRIFT MODE, SUSPENDED.",
        discussion: """
            --status stalled=true shows the releases whose reconcile is stalled, ready=true (or false) those that are \
            (or are not) ready. -A lists every namespace. Exit codes: 0 shown, 2 a bad --status, 3 cluster unreachable.
            """, aliases: ["release"])

    @OptionGroup var admin: PlatformAdminOptions

    @Flag(name: [.customShort("A"), .long], help: "Every namespace.")
    var allNamespaces = false

    @Option(help: ArgumentHelp("Only releases in this state: stalled=true|false or ready=true|false.", valueName: "state"))
    var status: String?

    func validate() throws {
        if let status, Self.filter(status) == nil { throw ValidationError("--status \(status): expected stalled=true|false or ready=true|false") }
    }

    static func filter(_ text: String) -> ((Row) -> Bool)? {
        let parts = text.lowercased().split(separator: "=").map(String.init)
        guard parts.count == 2, let wanted = Bool(parts[1]) else { return nil }
        switch parts[0] {
        case "stalled": return { ($0.reason == PlatformReleaseResource.Reason.stalled.rawValue) == wanted }
        case "ready": return { ($0.ready == "True") == wanted }
        default: return nil
        }
    }

    struct Row: Encodable {
        let namespace, name, release, ready, reason, message, driftMode: String
        let suspended: Bool
    }

    func run() async throws {
        let client = try admin.client()
        let items: [JSONValue]
        do {
            items = try await client.list(apiVersion: PlatformResource.apiVersion, kind: PlatformReleaseResource.kind,
                                          namespace: allNamespaces ? nil : admin.namespace,
                                          labelSelector: admin.platform.map { "\(PlatformReleaseResource.platformLabel)=\($0)" })
        } catch { throw clusterFailure(error) }
        var rows = items.map { item in
            Row(namespace: item["metadata"]?["namespace"]?.stringValue ?? "", name: item.objectName,
                release: item["spec"]?["release"]?.stringValue ?? "", ready: item.conditionStatus("Ready"),
                reason: item["status"]?["reason"]?.stringValue ?? "", message: item["status"]?["message"]?.stringValue ?? "",
                driftMode: item["spec"]?["drift"]?["mode"]?.stringValue ?? "", suspended: item["spec"]?["suspend"]?.boolValue ?? false)
        }.sorted { ($0.namespace, $0.name) < ($1.namespace, $1.name) }
        if let status, let keep = Self.filter(status) { rows = rows.filter(keep) }
        if admin.output.format == .json { printJSON(rows); return }
        let header = ["NAME", "READY", "REASON", "MESSAGE", "DRIFT MODE", "SUSPENDED"]
        let cells = rows.map { [$0.name, $0.ready, $0.reason, $0.message, $0.driftMode, "\($0.suspended)"] }
        print(allNamespaces ? table(["NAMESPACE"] + header, zip(rows, cells).map { [$0.namespace] + $1 }) : table(header, cells))
    }
}
