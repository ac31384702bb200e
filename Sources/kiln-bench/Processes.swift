import Config
import Foundation

/// Runs a binary with posix_spawn and waitpid (Foundation's Process adds tens of milliseconds of its own), standard
/// output to `stdout` (default /dev/null) and standard error to /dev/null; returns the exit status.
func spawn(_ binary: String, _ arguments: [String], environment: [String: String] = [:], stdout: String = "/dev/null") -> Int32 {
    var pid: pid_t = 0
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
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

/// Wall times of one command run as a process: the median and the fastest of N runs after two warm-up runs.
struct ProcessTiming: CustomStringConvertible {
    var runs: [Double]
    var failed: Int32?

    var median: Double { runs.isEmpty ? .nan : runs.sorted()[runs.count / 2] }
    var fastest: Double { runs.min() ?? .nan }

    var description: String {
        if let failed { return "failed (exit \(failed))" }
        return String(format: "%6.1f ms median of %d   (min %.1f ms)", median * 1e3, runs.count, fastest * 1e3)
    }
}

/// Times `binary arguments` `runs` times (after two warm-up runs); `prepare` runs before each, untimed.
func timeProcess(_ binary: String, _ arguments: [String], environment: [String: String] = [:], runs: Int,
                 prepare: () -> Void = {}) -> ProcessTiming {
    var timing = ProcessTiming(runs: [])
    for run in 0..<(runs + 2) {
        prepare()
        var status: Int32 = 0
        let elapsed = ContinuousClock().measure { status = spawn(binary, arguments, environment: environment) }
        guard status == 0 else {
            timing.failed = status
            return timing
        }
        if run >= 2 { timing.runs.append(seconds(elapsed)) }
    }
    return timing
}

/// The first executable called `name` on PATH.
func onPath(_ name: String) -> String? {
    for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
        let path = "\(dir)/\(name)"
        if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return nil
}

/// A copy of `config` that `kiln render` can render here: every `${env:NAME}` it or a built-in preset names gets a
/// value in the returned environment, and every `${file:PATH}` points at a file made under `work`.
func renderableConfig(_ config: String, work: String) -> (path: String, environment: [String: String])? {
    guard var text = try? String(contentsOfFile: config, encoding: .utf8) else { return nil }
    var environment: [String: String] = [:]
    let presets = BuiltinPresets.texts
    for source in [text] + presets {
        for name in references(in: source, kind: "env") where name.allSatisfy({ $0.isUppercase || $0.isNumber || $0 == "_" }) {
            environment[name] = "bench-\(name.lowercased())"
        }
    }
    for (i, path) in references(in: text, kind: "file").enumerated() {
        let made = "\(work)/secret-\(i)"
        _ = FileManager.default.createFile(atPath: made, contents: Data("bench-secret-\(i)".utf8))
        text = text.replacingOccurrences(of: "${file:\(path)}", with: "${file:\(made)}")
    }
    let copy = "\(work)/\(URL(fileURLWithPath: config).lastPathComponent)"
    guard FileManager.default.createFile(atPath: copy, contents: Data(text.utf8)) else { return nil }
    return (copy, environment)
}

/// The NAME of every `${kind:NAME}` in `text`.
func references(in text: String, kind: String) -> [String] {
    var out: [String] = []
    var rest = Substring(text)
    let opening = "${\(kind):"
    while let start = rest.range(of: opening) {
        rest = rest[start.upperBound...]
        guard let end = rest.firstIndex(of: "}") else { break }
        out.append(String(rest[..<end]))
        rest = rest[rest.index(after: end)...]
    }
    return out
}

/// The text of every preset built into kiln.
enum BuiltinPresets {
    static var texts: [String] {
        BuiltinResources.paths.filter { $0.hasPrefix("presets/") }.compactMap(BuiltinResources.text)
    }
}
