import ArgumentParser
import Config
import Platform

struct Releases: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "releases",
        abstract: "List the releases a config installs, does not install, or removes, and why.",
        discussion: """
            The reference's configured-releases table: SERVICE, STATUS INTENT (installed, not installed, uninstalled: \
            a deprecated release to remove), CORE/EXT, and the key that decided. An extended release installed while \
            extended_catalog is false is followed by the NOT COMPATIBLE line (and `kiln validate` fails).

            Installed releases are listed in install order (dependencies first), the others by name.
            """
    )

    @Argument(help: "The config.")
    var file: String

    @Flag(help: "Only releases that are installed.")
    var installedOnly = false

    @Flag(help: "Only releases of the extended catalog.")
    var extendedOnly = false

    @Flag(help: "Only releases that are removed (uninstalled).")
    var removedOnly = false

    @OptionGroup var layers: LayerOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let report = PlatformChecks.validate(layers.request(file))
        // The table is useful exactly when the catalog check fails (NOT COMPATIBLE), so only load errors stop it.
        guard let root = report.config.root, !report.config.diagnostics.hasErrors else {
            _ = try validConfig(layers.request(file), color: output.color.enabled)
            return
        }
        let plan = ReleasePlan(ConfigView(root))
        // Install positions of the installed releases only. Dependencies are listed as the plan orders them: a
        // catalog dependency this config does not install (mongodb on a data plane) is nothing to wait for.
        let order = Dictionary(uniqueKeysWithValues: plan.installOrder.enumerated().map { ($1.name, $0) })
        let wave = Dictionary(uniqueKeysWithValues: plan.installLevels.enumerated().flatMap { level, releases in
            releases.map { ($0.name, level + 1) }
        })
        let intents = plan.intents.filter { intent in
            (!installedOnly || intent.status == .installed) && (!extendedOnly || intent.release.catalog == .extended)
                && (!removedOnly || intent.status == .uninstalled)
        }.sorted { a, b in
            switch (order[a.release.name], order[b.release.name]) {
            case let (x?, y?): return x < y
            case (.some, nil): return true
            case (nil, .some): return false
            default: return a.release.name < b.release.name
            }
        }
        if output.format == .json {
            printJSON(ReleasesOutput(compatible: !intents.contains(where: \.incompatible), releases: intents.map {
                .init(service: $0.release.name, status: $0.status.rawValue, catalog: $0.catalogLabel, reason: $0.reason,
                      namespace: $0.release.namespace.rawValue, order: order[$0.release.name].map { $0 + 1 },
                      wave: wave[$0.release.name],
                      dependencies: $0.release.dependencies.filter { order[$0] != nil }, notCompatible: $0.incompatible)
            }))
        } else {
            var rows: [[String]] = []
            for intent in intents {
                rows.append([intent.release.name, intent.status.rawValue, intent.catalogLabel, intent.reason])
                if intent.incompatible { rows.append([ReleaseIntent.notCompatibleMessage]) }
            }
            print(table(["SERVICE", "STATUS INTENT", "CORE/EXT", "REASON"], rows))
        }
        if intents.contains(where: \.incompatible) { throw ExitCode(1) }
    }
}

struct ReleasesOutput: Encodable {
    struct Row: Encodable {
        var service: String
        var status: String
        var catalog: String
        var reason: String
        var namespace: String
        var order: Int?
        /// Install level: a release needs only releases of lower waves.
        var wave: Int?
        /// The releases this one waits for: its catalog dependencies that the plan installs.
        var dependencies: [String]
        var notCompatible: Bool
    }

    var compatible: Bool
    var releases: [Row]
}
