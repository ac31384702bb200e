import Apply
import ArgumentParser
import Config
import Foundation
import Manifests
import Preflight

extension ApplyCommand {
    /// What `kiln apply` does before its first write: the preflight rules that gate an apply (unless
    /// --skip-preflight), then, with --adopt, the takeover of Helm's objects. A failed rule stops the apply with
    /// nothing sent; warnings go to standard error and the apply goes on. True when a dry run found Helm objects to
    /// take over: its server-side dry run must then force their fields, as the takeover would, or Helm's fields
    /// would show as conflicts.
    func beforeApply(_ result: RenderResult, _ manager: ResourceManager, _ inventory: ApplySet) async throws -> Bool {
        guard !skipPreflight || adopt else { return false }
        let config = ConfigView(InstallConfigSchema.shared.typed(try validConfig(target.layers.request(target.file), color: false).root))
        if !skipPreflight {
            let report: PreflightReport
            do {
                report = try await Preflight(client: manager.client).run(config: config, result: result, inventory: inventory, scope: .applyGate)
            } catch {
                throw clusterFailure(error)
            }
            let notable = report.results.filter { $0.status != .pass }
            if !notable.isEmpty { FileHandle.standardError.write(Data((PreflightOutput.text(notable) + "\n").utf8)) }
            if report.failed {
                printError("preflight: \(PreflightOutput.summary(report)); nothing was sent to the cluster "
                           + "(`kiln preflight` runs every check; --skip-preflight applies anyway)")
                throw ExitCode(1)
            }
        }
        if adopt {
            do {
                let report = try await Adoption(client: manager.client).run(result, inventory: inventory, dryRun: dryRun, prune: false)
                FileHandle.standardError.write(Data((AdoptOutput.text(report) + "\n").utf8))
                return dryRun && !report.adopted.isEmpty
            } catch {
                throw clusterFailure(error)
            }
        }
        return false
    }
}
