// kiln's benchmark: run it, do not test it.
//
//     swift build -c release && swift run -c release kiln-bench [CONFIG] [--iterations N] [--process-runs N]
//
// (`swift run kiln-bench` builds only the benchmark: build first so that the `kiln` binary beside it is current.)
//
// Prints, for one config (default examples/full-control-plane.yaml):
//   - schema compile: compiling the embedded schema, once per process;
//   - validate in-process: bytes → YAML → schema → rules → release catalog and sizing checks, the median of N
//     runs (µs): what `kiln validate` does;
//   - render in-process: the full control plane, and N data planes (N = 1, 10, 100: one config per cluster, written
//     before the clock starts; the best of three passes), config to YAML text, objects/s;
//   - processes, each the median of N runs after two warm-up runs, timed from posix_spawn to waitpid with output
//     to /dev/null (hyperfine-style): `kiln version`, `kiln validate CONFIG`, and `kiln render CFG -o DIR` for
//     CONFIG and examples/eks.yaml, against `helm template` of a chart that holds the same objects as static files
//     under templates/ (see HelmComparison.swift; `kubectl kustomize` of the same tree, labelled so, where no helm
//     binary is found);
//   - apply to the test API server: the full platform, concurrency 1 and the default, objects/s;
//   - re-apply of the unchanged platform: kiln against `kubectl apply --server-side` of the same objects, against the
//     same test API server, with requests per object; and the first apply with waits.
//
// --process-runs 0 leaves out the processes and apply: the in-process figures alone, e.g. under
// `valgrind --tool=callgrind --toggle-collect='*renderedObjects*'`.
import Config
import Foundation
import Manifests
import Platform

/// `--name N` from the command line, and the arguments that are not options.
func parseArguments(_ all: [String]) -> (options: [String: Int], rest: [String]) {
    var options: [String: Int] = [:]
    var rest: [String] = []
    var i = 0
    while i < all.count {
        if all[i].hasPrefix("--"), i + 1 < all.count, let n = Int(all[i + 1]) {
            options[all[i]] = n
            i += 2
        } else {
            rest.append(all[i])
            i += 1
        }
    }
    return (options, rest)
}
let parsed = parseArguments(Array(CommandLine.arguments.dropFirst()))
let iterations = parsed.options["--iterations"] ?? 500
let processRuns = parsed.options["--process-runs"] ?? 20
if parsed.rest.first == "operator" {
    try await OperatorBenchmark.run(configPath: parsed.rest.dropFirst().first ?? "examples/full-control-plane.yaml")
    exit(0)
}
if parsed.rest.first == "bundle" { try await BundleBenchmark.run(megabytes: parsed.options["--megabytes"] ?? 1024); exit(0) }
let configPath = parsed.rest.first ?? "examples/full-control-plane.yaml"

guard let data = FileManager.default.contents(atPath: configPath) else {
    FileHandle.standardError.write(Data("kiln-bench: cannot read \(configPath)\n".utf8))
    exit(2)
}
let bytes = Array(data)
let lines = bytes.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted[sorted.count / 2]
}

let clock = ContinuousClock()
func seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
}

let compile = clock.measure { _ = InstallConfigSchema.shared }
print("config: \(configPath) (\(lines) lines, \(bytes.count) bytes)")
print(String(format: "schema compile (once per process): %8.1f µs", seconds(compile) * 1e6))

var samples: [Double] = []
var lastReport: ValidationReport?
for _ in 0..<iterations {
    let elapsed = clock.measure {
        lastReport = PlatformChecks.validate(ConfigFile.parse(bytes, name: configPath))
    }
    samples.append(seconds(elapsed))
}
guard let report = lastReport, report.isValid else {
    FileHandle.standardError.write(Data("kiln-bench: \(configPath) is not valid\n".utf8))
    exit(1)
}
print(String(format: "validate in-process (median of %d):  %8.1f µs   (min %.1f µs)", iterations,
             median(samples) * 1e6, (samples.min() ?? 0) * 1e6))

// Render in-process.
let secrets = SecretValues(variable: { "value-of-\($0)" }, readFile: { "file-\($0)" })
func renderedObjects(_ text: String) -> Int {
    let file = ConfigFile.parse(text, name: "bench.yaml")
    let loaded = ConfigLoader.load(file)
    guard let root = loaded.root else { return 0 }
    let result = PlatformRenderer.render(ConfigView(root), secrets: secrets)
    // As `kiln render --layout stream` writes them.
    return ManifestYAML.stream(result.objects).utf8.count > 0 ? result.objects.count : 0
}

let controlPlane = String(decoding: bytes, as: UTF8.self)
var cpSamples: [Double] = []
var cpObjects = 0
for _ in 0..<max(5, iterations / 20) {
    let elapsed = clock.measure { cpObjects = renderedObjects(controlPlane) }
    cpSamples.append(seconds(elapsed))
}
print(String(format: "render control plane in-process (median of %d): %6.1f ms, %d objects (%.0f objects/s)",
             cpSamples.count, median(cpSamples) * 1e3, cpObjects, Double(cpObjects) / median(cpSamples)))

let dataPlaneText = (try? String(contentsOfFile: "examples/data-plane.yaml", encoding: .utf8)) ?? ""
for n in [1, 10, 100] {
    // One config per cluster, written before the clock starts: the figure is kiln's work, not the benchmark's.
    let configs = (0..<n).map { dataPlaneText.replacingOccurrences(of: "name: dp-west", with: "name: dp-\($0)") }
    // The best of three passes, so a burst of other work on the machine does not set the figure.
    var best = Double.infinity
    var objects = 0
    for _ in 0..<3 {
        objects = 0
        let elapsed = clock.measure {
            for config in configs { objects += renderedObjects(config) }
        }
        best = min(best, seconds(elapsed))
    }
    print(String(format: "render %3d data planes in-process:     %6.1f ms, %d objects (%.0f objects/s)%@",
                 n, best * 1e3, objects, Double(objects) / best, n == 100 ? "   (goal ≥ 50,000 objects/s)" : ""))
}

// Processes.
let kiln = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    .deletingLastPathComponent().appendingPathComponent("kiln")
if processRuns > 0, FileManager.default.isExecutableFile(atPath: kiln.path) {
    let work = NSTemporaryDirectory() + "kiln-bench-\(getpid())"
    try? FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: work) }

    let version = timeProcess(kiln.path, ["version"], runs: processRuns)
    print("kiln version as a process: \(version)")
    let validate = timeProcess(kiln.path, ["validate", configPath], runs: processRuns)
    print("kiln validate as a process: \(validate)")

    var configs = [configPath]
    if configPath != "examples/eks.yaml" { configs.append("examples/eks.yaml") }
    for config in configs {
        guard let compared = compareWithHelm(kiln: kiln.path, config: config, work: work, runs: processRuns) else { continue }
        print(compared)
    }
} else {
    print("processes: skipped (no kiln binary at \(kiln.path): `swift build -c release` first)")
}

// --process-runs 0: the in-process figures only (for a profiler).
if processRuns > 0 {
    await benchmarkApply(String(decoding: bytes, as: UTF8.self), runs: min(processRuns, 5))
    if let root = ConfigLoader.load(ConfigFile.parse(controlPlane, name: "bench.yaml")).root {
        await benchmarkReapply(PlatformRenderer.render(ConfigView(root), secrets: secrets), runs: min(processRuns, 5))
    }
}
