import Foundation
import Manifests

/// `kiln explain waves`: the kind rules table as a person (or CI) reads it.
enum KindRulesReport {
    struct Row: Encodable {
        let order: Int
        let kind: String
        let stage: String
        let pruneProtected: String?
        let prunedWithoutPrune: String?
        let neverRecreated: String?
        let driftIgnores: [String]
    }

    /// The JSON form: the table, and the rules that are not one kind's.
    struct Report: Encodable {
        let kinds: [Row]
        let injectedSidecars: [String]
        let scaledByAutoscaler: String
    }

    /// `spec.template.metadata.annotations[kubectl.kubernetes.io/restartedAt]`: a key with dots in brackets.
    static func path(_ keys: [String]) -> String {
        keys.enumerated().map { i, key in key.contains(".") ? "[\(key)]" : (i == 0 ? key : "." + key) }.joined()
    }

    static func print(format: OutputFormat) {
        let rows = KindRules.table.enumerated().map { i, rule in
            Row(order: i + 1, kind: rule.kind, stage: rule.stage.rawValue, pruneProtected: rule.protection, prunedWithoutPrune: rule.prunedAlways,
                neverRecreated: rule.neverRecreate, driftIgnores: rule.driftIgnores.map(Self.path))
        }
        let sidecars = KindRules.injectedSidecars.sorted()
        let scaled = path(KindRules.scaledByAutoscaler)
        if format == .json {
            printJSON(Report(kinds: rows, injectedSidecars: sidecars, scaledByAutoscaler: scaled))
            return
        }
        Swift.print("""
            Waves: definitions (CRDs, namespaces), then cluster (other cluster-scoped kinds), then one wave per release \
            level of the dependency graph (`kiln releases`). Within a wave objects go in the order below, in parallel.
            Kinds not listed (custom resources) go with their release, after the listed kinds.

            """)
        let cells = rows.map { row in
            [String(row.order), row.kind, row.stage, row.pruneProtected != nil ? "protected" : row.prunedWithoutPrune != nil ? "always" : "-",
             row.neverRecreated == nil ? "yes" : "never", row.driftIgnores.isEmpty ? "-" : row.driftIgnores.joined(separator: ", ")]
        }
        Swift.print(table(["ORDER", "KIND", "STAGE", "PRUNE", "RECREATE (--force)", "DRIFT IGNORES"], cells))
        Swift.print("\nprotected: never pruned without --prune-protected; always: pruned by every apply, --prune or not; "
                    + "never: --force does not delete it to recreate it.")
        Swift.print("drift also leaves \(scaled) of a workload an autoscaler of the render scales, and the sidecars a service mesh "
                    + "adds to pod templates (\(sidecars.joined(separator: ", "))).")
    }
}
