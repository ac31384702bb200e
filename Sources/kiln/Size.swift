import ArgumentParser
import Config
import Foundation
import Platform

struct Size: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "size",
        abstract: "Show the platform's size: replicas, requests, limits and volumes per workload, totals, and fit.",
        discussion: """
            The profile comes from --profile, else the config's sizing.profile, else the smallest profile that supports \
            sizing.max_concurrent_executions, else standard.

            Fit: the requests of everything on platform nodes plus the DaemonSets on each, against the profile's \
            allocatable node capacity. Exit status 1 when it does not fit.
            """
    )

    @Argument(help: "The config.")
    var file: String

    @Option(help: ArgumentHelp("Size for this profile instead: standard, large or xl.", valueName: "profile"))
    var profile: String?

    @OptionGroup var layers: LayerOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if let profile, SizingProfile.named(profile) == nil { throw ValidationError("unknown profile \(profile); profiles: standard, large, xl") }
    }

    func run() throws {
        let config = try validConfig(layers.request(file), color: output.color.enabled)
        let plan = SizingPlan(config, profile: profile.flatMap(SizingProfile.named))
        let fit = plan.fit
        if output.format == .json {
            printJSON(SizeOutput(plan))
        } else {
            let rows = plan.workloads.map { w -> [String] in
                [w.release, w.name, w.kind.rawValue, w.kind == .daemonSet ? "per node" : w.kind == .cronJob ? "job" : "\(w.replicas)",
                 w.requests.map { "\($0.cpu)" } ?? "-", w.requests.map { "\($0.memory)" } ?? "-",
                 w.limits.map { "\($0.cpu)" } ?? "-", w.limits.map { "\($0.memory)" } ?? "-",
                 w.volume.map { "\($0.size) \($0.storageClass.rawValue)" } ?? "", w.note ?? ""]
            }
            print("profile: \(plan.profile.name) (\(plan.profileReason)): \(plan.profile.nodes) platform nodes × "
                + "\(plan.profile.cpuPerNode) CPU / \(plan.profile.memoryPerNode), up to \(plan.profile.maxConcurrentExecutions) concurrent executions")
            print("")
            print(table(["RELEASE", "WORKLOAD", "KIND", "REPLICAS", "CPU REQ", "MEM REQ", "CPU LIM", "MEM LIM", "VOLUME", "NOTE"], rows))
            print("")
            let volumes = plan.workloads.compactMap { w in w.volume.map { $0.size * max(1, w.replicas) } }.reduce(Memory.zero, +)
            print("async endpoints: MongoDB \(plan.asyncStorage.mongoVolume), RabbitMQ \(plan.asyncStorage.rabbitVolume) "
                + String(format: "(the load needs %.1f GiB and %.1f GiB)", plan.asyncStorage.mongoBytes / 1073741824,
                         plan.asyncStorage.rabbitBytes / 1073741824))
            print("volumes: \(volumes) in all")
            if fit.checked {
                print("platform requests: \(formatCPU(fit.requested.cpu)) CPU, \(formatMemory(fit.requested.memory)) "
                    + "(DaemonSets \(fit.daemonSetsPerNode.cpu) CPU / \(fit.daemonSetsPerNode.memory) per node)")
                print("allocatable:       \(formatCPU(fit.allocatable.cpu)) CPU, \(formatMemory(fit.allocatable.memory))")
                print(String(format: "fit: %@ (CPU %.0f%%, memory %.0f%% of allocatable)", fit.fits ? "fits" : "DOES NOT FIT",
                             fit.cpuUse * 100, fit.memoryUse * 100))
                if !fit.fits {
                    print("largest consumers: " + fit.largestConsumers().map { "\($0.name) (\($0.requests.cpu) CPU, \($0.requests.memory))" }
                        .joined(separator: ", "))
                }
            } else {
                print("fit: not checked (request_resources: false sets no requests)")
            }
        }
        if !fit.fits {
            printError("the platform does not fit the \(plan.profile.name) profile's nodes")
            throw ExitCode(1)
        }
    }

    private func formatCPU(_ c: CPU) -> String { String(format: "%.2f", c.cores) }
    private func formatMemory(_ m: Memory) -> String { String(format: "%.1f GiB", m.gibibytes) }
}

struct SizeOutput: Encodable {
    struct Amounts: Encodable {
        var cpu: String
        var memory: String
    }

    struct Row: Encodable {
        var release: String
        var workload: String
        var kind: String
        var replicas: Int
        var requests: Amounts?
        var limits: Amounts?
        var volume: String?
        var storageClass: String?
        var note: String?
    }

    var profile: String
    var profileReason: String
    var nodes: Int
    var workloads: [Row]
    var requested: Amounts
    var allocatable: Amounts
    var fits: Bool
    var checked: Bool
    var mongoVolume: String
    var rabbitmqVolume: String

    init(_ plan: SizingPlan) {
        func amounts(_ a: ResourceAmounts) -> Amounts { Amounts(cpu: "\(a.cpu)", memory: "\(a.memory)") }
        profile = plan.profile.name
        profileReason = plan.profileReason
        nodes = plan.profile.nodes
        workloads = plan.workloads.map {
            Row(release: $0.release, workload: $0.name, kind: $0.kind.rawValue, replicas: $0.replicas,
                requests: $0.requests.map(amounts), limits: $0.limits.map(amounts), volume: $0.volume.map { "\($0.size)" },
                storageClass: $0.volume?.storageClass.rawValue, note: $0.note)
        }
        requested = amounts(plan.fit.requested)
        allocatable = amounts(plan.fit.allocatable)
        fits = plan.fit.fits
        checked = plan.fit.checked
        mongoVolume = "\(plan.asyncStorage.mongoVolume)"
        rabbitmqVolume = "\(plan.asyncStorage.rabbitVolume)"
    }
}
