// kiln's benchmark: run it, do not test it.
//
//     swift build -c release && .build/release/kiln-bench [CONFIG] [--iterations N] [--process-runs N]
//
// Prints, for one config (default examples/full-control-plane.yaml):
//   - schema compile: compiling the embedded schema, once per process;
//   - validate in-process: bytes → YAML → schema → rules → release catalog and sizing checks, the median of N
//     runs (µs): what `kiln validate` does;
//   - validate as a process: the cold wall time of `kiln validate CONFIG`, the median of N runs (ms),
//     using the `kiln` binary beside this one.
//   - render in-process: the full control plane, and N data planes (N = 1, 10, 100: one config per cluster),
//     config to YAML text, objects/s;
//   - render as a process: `kiln render examples/eks.yaml -o DIR`, from process start to files written (ms);
//   - apply to the test API server: the full platform, concurrency 1 and the default, objects/s.
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
let processRuns = parsed.options["--process-runs"] ?? 30
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

let kiln = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    .deletingLastPathComponent().appendingPathComponent("kiln")
/// Runs kiln with posix_spawn and waitpid: Foundation's Process adds tens of milliseconds of its own.
func spawn(_ binary: String, _ arguments: [String], environment: [String: String] = [:]) -> Int32 {
    var pid: pid_t = 0
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    let words: [String] = [binary] + arguments
    let argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var env = ProcessInfo.processInfo.environment
    for (k, v) in environment { env[k] = v }
    let envp: [UnsafeMutablePointer<CChar>?] = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { envp.forEach { free($0) } }
    guard posix_spawn(&pid, binary, &actions, nil, argv, envp) == 0 else { return -1 }
    var status: Int32 = 0
    waitpid(pid, &status, 0)
    return (status >> 8) & 0xFF
}

func spawnValidate(_ binary: String, _ config: String) -> Int32 { spawn(binary, ["validate", config]) }

if processRuns > 0, FileManager.default.isExecutableFile(atPath: kiln.path) {
    var wall: [Double] = []
    for _ in 0..<processRuns {
        var status: Int32 = 0
        let elapsed = clock.measure { status = spawnValidate(kiln.path, configPath) }
        guard status == 0 else {
            FileHandle.standardError.write(Data("kiln-bench: kiln validate exited \(status)\n".utf8))
            exit(1)
        }
        wall.append(seconds(elapsed))
    }
    print(String(format: "validate as a process (median of %d): %6.1f ms   (min %.1f ms)", processRuns,
                 median(wall) * 1e3, (wall.min() ?? 0) * 1e3))
} else {
    print("validate as a process: skipped (no kiln binary at \(kiln.path); build it first)")
}

// Render.
let secrets = SecretValues(variable: { "value-of-\($0)" }, readFile: { "file-\($0)" })
func renderedObjects(_ text: String) -> Int {
    let file = ConfigFile.parse(text, name: "bench.yaml")
    let loaded = ConfigLoader.load(file)
    guard let root = loaded.root else { return 0 }
    let result = PlatformRenderer.render(ConfigView(root), secrets: secrets)
    var bytes = 0
    for object in result.objects { bytes += ManifestYAML.text(object).utf8.count }
    return bytes > 0 ? result.objects.count : 0
}

let controlPlane = String(decoding: bytes, as: UTF8.self)
var cpSamples: [Double] = []
var cpObjects = 0
for _ in 0..<max(5, iterations / 20) {
    let elapsed = clock.measure { cpObjects = renderedObjects(controlPlane) }
    cpSamples.append(seconds(elapsed))
}
print(String(format: "render control plane in-process:      %6.1f ms, %d objects (%.0f objects/s)",
             median(cpSamples) * 1e3, cpObjects, Double(cpObjects) / median(cpSamples)))

let dataPlaneText = (try? String(contentsOfFile: "examples/data-plane.yaml", encoding: .utf8)) ?? ""
for n in [1, 10, 100] {
    var objects = 0
    let elapsed = clock.measure {
        for i in 0..<n {
            objects += renderedObjects(dataPlaneText.replacingOccurrences(of: "name: dp-west", with: "name: dp-\(i)"))
        }
    }
    print(String(format: "render %3d data planes in-process:     %6.1f ms, %d objects (%.0f objects/s)",
                 n, seconds(elapsed) * 1e3, objects, Double(objects) / seconds(elapsed)))
}

if processRuns > 0, FileManager.default.isExecutableFile(atPath: kiln.path) {
    let out = NSTemporaryDirectory() + "kiln-bench-render-\(getpid())"
    var wall: [Double] = []
    for _ in 0..<processRuns {
        try? FileManager.default.removeItem(atPath: out)
        var status: Int32 = 0
        let elapsed = clock.measure {
            status = spawn(kiln.path, ["render", "examples/eks.yaml", "-o", out],
                           environment: ["QUAY_PASSWORD": "x", "SMTP_PASSWORD": "y"])
        }
        guard status == 0 else {
            FileHandle.standardError.write(Data("kiln-bench: kiln render exited \(status)\n".utf8))
            exit(1)
        }
        wall.append(seconds(elapsed))
    }
    try? FileManager.default.removeItem(atPath: out)
    try? FileManager.default.removeItem(atPath: out + ".secrets")
    print(String(format: "render eks.yaml to files as a process (median of %d): %6.1f ms   (min %.1f ms)", processRuns,
                 median(wall) * 1e3, (wall.min() ?? 0) * 1e3))
}

await benchmarkApply(String(decoding: bytes, as: UTF8.self), runs: max(1, min(processRuns, 5)))
