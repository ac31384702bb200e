import Config
import Diagnostics

/// `kiln validate`'s sizing checks: the chosen profile supports the executions asked for, and fits its nodes.
enum SizingChecks {
    static func check(_ config: ConfigView, plan releases: ReleasePlan) -> [Diagnostic] {
        var out: [Diagnostic] = []
        if let name = config.string(.sizingProfile), let profile = SizingProfile.named(name),
           let executions = config.number(.sizingMaxConcurrentExecutions), Int(executions) > profile.maxConcurrentExecutions {
            let needed = SizingProfile.smallest(supporting: Int(executions))?.name ?? "a custom size"
            out.append(.error(PlatformCode.profileTooSmall,
                              "profile `\(name)` supports \(profile.maxConcurrentExecutions) concurrent executions, not \(Int(executions))",
                              at: config.keyLocation("sizing.profile"), path: "sizing.profile",
                              help: "use `\(needed)`, or leave out sizing.profile to let kiln choose"))
        }
        for release in ReleaseCatalog.all where release.workloads.contains(where: { $0.limits == nil && $0.kind != .daemonSet }) {
            guard ChartValueSizing(config, release: release.name).setsLimits else { continue }
            let path = "release_overrides.\(release.name).chart_values"
            out.append(.error(PlatformCode.databaseLimits,
                              "\(release.name) is a database or search system: it must run without limits",
                              at: config.keyLocation(path + ".resources.limits"), path: path + ".resources.limits",
                              help: "set only `resources.requests`; limits endanger its data integrity (sizing reference)"))
        }
        let plan = SizingPlan(config, plan: releases)
        if !plan.fit.fits {
            let top = plan.fit.largestConsumers(3).map(\.name).joined(separator: ", ")
            out.append(.warning(PlatformCode.doesNotFit,
                                "the platform's requests do not fit the `\(plan.profile.name)` profile's \(plan.profile.nodes) platform nodes; largest: \(top)",
                                at: config.keyLocation("sizing"), path: "sizing",
                                help: "`kiln size FILE` shows the totals; choose a larger profile or switch releases off"))
        }
        return out
    }
}
