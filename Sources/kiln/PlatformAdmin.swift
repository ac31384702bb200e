import ArgumentParser
import Foundation
import Kube
import Manifests
import Operator
import Schema

/// What the admin commands (get, suspend, resume, reconcile, logs) share: the cluster, the operator's namespace,
/// the Platform they act on, and the output format.
struct PlatformAdminOptions: ParsableArguments {
    @OptionGroup var cluster: ClusterOptions
    @OptionGroup var output: OutputOptions

    @Option(name: [.customShort("n"), .long], help: ArgumentHelp("The operator's namespace.", valueName: "name"))
    var namespace = PlatformResource.namespace

    @Option(help: ArgumentHelp("The Platform (default: the only one in the namespace).", valueName: "name"))
    var platform: String?

    func client() throws -> KubeClient {
        do { return KubeClient(try cluster.target()) } catch { throw clusterFailure(error) }
    }

    /// The Platform named by --platform, or the namespace's only one.
    func platformObject(_ client: KubeClient) async throws -> JSONValue {
        if let platform {
            guard let object = try await client.get(ObjectReference(apiVersion: PlatformResource.apiVersion, kind: PlatformResource.kind,
                                                                    namespace: namespace, name: platform)) else {
                printError("no Platform \(platform) in namespace \(namespace)")
                throw ExitCode(1)
            }
            return object
        }
        let all = try await client.list(apiVersion: PlatformResource.apiVersion, kind: PlatformResource.kind, namespace: namespace)
        switch all.count {
        case 1: return all[0]
        case 0:
            printError("no Platform in namespace \(namespace) (`kiln bootstrap --config FILE` installs one; -n names another namespace)")
            throw ExitCode(1)
        default:
            let names = all.compactMap { $0["metadata"]?["name"]?.stringValue }.sorted().joined(separator: ", ")
            printError("namespace \(namespace) has several Platforms (\(names)): name one with --platform")
            throw ExitCode(2)
        }
    }

    /// A merge patch as the admin's field manager.
    func patch(_ client: KubeClient, _ ref: ObjectReference, _ body: JSONValue) async throws {
        _ = try await client.patch(ref, type: .merge, body: Array(body.jsonText.utf8), fieldManager: "kiln-admin")
    }
}

extension JSONValue {
    /// The status of condition `type` ("True", "False", "Unknown"), "" when absent.
    func conditionStatus(_ type: String) -> String {
        self["status"]?["conditions"]?.arrayValue?.first { $0["type"]?.stringValue == type }?["status"]?.stringValue ?? ""
    }

    var objectName: String { self["metadata"]?["name"]?.stringValue ?? "" }
}
