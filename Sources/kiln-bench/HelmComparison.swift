import Foundation

/// `kiln render CONFIG -o DIR` as a process against `helm template` of a chart holding the same objects.
///
/// The chart is what kiln rendered for CONFIG (the tree and its Secrets), every object file copied verbatim under
/// templates/ (a `{{` in one is escaped so that helm prints it as it is), so `helm template` does the least helm can
/// do for those objects: load the chart, run the template engine over static text, sort and print. Its output goes
/// to /dev/null; kiln's files go to DIR (tmpfs where /dev/shm exists), written afresh every run.
///
/// helm is `$HELM`, else `helm` on PATH. Where there is none, the same tree is built with `kubectl kustomize` as a
/// stand-in, labelled so: it is not helm.
func compareWithHelm(kiln: String, config: String, work: String, runs: Int) -> String? {
    let name = URL(fileURLWithPath: config).deletingPathExtension().lastPathComponent
    let scratch = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm/kiln-bench-\(getpid())" : work
    try? FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    defer { if scratch != work { try? FileManager.default.removeItem(atPath: scratch) } }
    guard let (copy, environment) = renderableConfig(config, work: work) else { return nil }

    // The objects, once, for the chart.
    let tree = "\(work)/tree-\(name)"
    guard spawn(kiln, ["render", copy, "-o", tree], environment: environment) == 0 else {
        return "kiln render \(config): failed (see `kiln validate \(config)`)"
    }
    let chart = "\(work)/chart-\(name)"
    let objects = writeChart(from: [tree, tree + ".secrets"], to: chart, name: "kiln-\(name)")

    let out = "\(scratch)/render-\(name)"
    let kilnTiming = timeProcess(kiln, ["render", copy, "-o", out], environment: environment, runs: runs) {
        try? FileManager.default.removeItem(atPath: out)
        try? FileManager.default.removeItem(atPath: out + ".secrets")
    }
    var lines = ["kiln render \(config) -o DIR as a process (\(objects) objects, files to \(scratch)): \(kilnTiming)"]

    let other: (label: String, timing: ProcessTiming)
    if let helm = ProcessInfo.processInfo.environment["HELM"] ?? onPath("helm") {
        // Check once that helm prints every object.
        let printed = "\(work)/helm-\(name).yaml"
        guard spawn(helm, ["template", "kiln", chart], stdout: printed) == 0,
              let text = try? String(contentsOfFile: printed, encoding: .utf8) else {
            return (lines + ["helm template of \(chart): failed"]).joined(separator: "\n")
        }
        let sources = text.components(separatedBy: "\n# Source: ").count - 1 + (text.hasPrefix("# Source: ") ? 1 : 0)
        guard sources == objects else {
            return (lines + ["helm template printed \(sources) of \(objects) objects"]).joined(separator: "\n")
        }
        other = ("helm template (\(helmVersion(helm, work: work))) of a chart with the same \(objects) objects as static files",
                 timeProcess(helm, ["template", "kiln", chart], runs: runs))
    } else if let kubectl = onPath("kubectl") {
        other = ("STAND-IN, no helm binary here: kubectl kustomize of the same tree (not helm template)",
                 timeProcess(kubectl, ["kustomize", tree], runs: runs))
    } else {
        return (lines + ["helm template: skipped (no helm on PATH, no $HELM, no kubectl)"]).joined(separator: "\n")
    }
    lines.append("\(other.label): \(other.timing)")
    if other.timing.failed == nil, kilnTiming.failed == nil {
        lines.append(String(format: "  kiln render is %.1f× faster (medians; fastest runs %.1f×; goal ≥ 10×)",
                            other.timing.median / kilnTiming.median, other.timing.fastest / kilnTiming.fastest))
    }
    return lines.joined(separator: "\n")
}

/// A chart at `chart` whose templates/ holds every object file under `trees` (not the kustomization.yaml files), as
/// `<release>__<file>`; returns how many.
func writeChart(from trees: [String], to chart: String, name: String) -> Int {
    let fm = FileManager.default
    try? fm.removeItem(atPath: chart)
    try? fm.createDirectory(atPath: chart + "/templates", withIntermediateDirectories: true)
    _ = fm.createFile(atPath: chart + "/Chart.yaml",
                  contents: Data("apiVersion: v2\nname: \(name)\nversion: 0.1.0\ndescription: kiln's objects as static files\n".utf8))
    var count = 0
    for tree in trees {
        guard let files = fm.enumerator(atPath: tree) else { continue }
        for case let file as String in files where file.hasSuffix(".yaml") && !file.hasSuffix("kustomization.yaml") {
            guard let text = try? String(contentsOfFile: "\(tree)/\(file)", encoding: .utf8) else { continue }
            let flat = (tree.hasSuffix(".secrets") ? "secrets__" : "") + file.replacingOccurrences(of: "/", with: "__")
            let escaped = text.replacingOccurrences(of: "{{", with: "{{ \"{{\" }}")
            if fm.createFile(atPath: "\(chart)/templates/\(flat)", contents: Data(escaped.utf8)) { count += 1 }
        }
    }
    return count
}

func helmVersion(_ helm: String, work: String) -> String {
    let file = "\(work)/helm-version"
    guard spawn(helm, ["version", "--short"], stdout: file) == 0,
          let text = try? String(contentsOfFile: file, encoding: .utf8) else { return "helm" }
    return "helm " + text.trimmingCharacters(in: .whitespacesAndNewlines)
}
