import ArgumentParser
import Foundation
import Kube
import Operator
import Schema

struct LogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs", abstract: "Print the operator's log (the leading replica's pod), through the Kubernetes API.",
        discussion: "Exit codes: 0 printed, 1 no operator pod, 3 cluster unreachable.")

    @Argument(help: "What to read: operator.")
    var component: String

    @Flag(name: .shortAndLong, help: "Keep printing as the operator writes.")
    var follow = false

    @Option(help: ArgumentHelp("Only the last lines.", valueName: "n"))
    var tail: Int?

    @Option(help: ArgumentHelp("The operator's leader Lease (its holder's pod is read).", valueName: "name"))
    var leaseName = LeaderElector.defaultLeaseName

    @OptionGroup var admin: PlatformAdminOptions

    func validate() throws {
        if component != "operator" { throw ValidationError("kiln logs reads the operator's log: `kiln logs operator`") }
    }

    func run() async throws {
        let client = try admin.client()
        do {
            let pods = try await client.list(apiVersion: "v1", kind: "Pod", namespace: admin.namespace,
                                             labelSelector: "app.kubernetes.io/name=\(OperatorInstall.name)").map(\.objectName).sorted()
            // The leader's pod (its name is its Lease identity), else the first.
            let lease = try? await client.get(ObjectReference(apiVersion: "coordination.k8s.io/v1", kind: "Lease", namespace: admin.namespace,
                                                              name: leaseName))
            let leader = lease?["spec"]?["holderIdentity"]?.stringValue
            guard let pod = pods.first(where: { $0 == leader }) ?? pods.first else {
                printError("no operator pod in namespace \(admin.namespace) (`kiln bootstrap` installs the operator)")
                throw ExitCode(1)
            }
            for try await line in try await client.podLog(namespace: admin.namespace, name: pod, follow: follow, tailLines: tail) {
                FileHandle.standardOutput.write(Data((line + "\n").utf8))
            }
        } catch let code as ExitCode { throw code } catch { throw clusterFailure(error) }
    }
}
