import Config
import Foundation

/// Writes a render to disk: a directory per release (`<release>/<kind>-<name>.yaml` and a `kustomization.yaml`), a
/// top-level `kustomization.yaml` listing the releases in install order, and optionally GitOps wrappers.
///
/// Secrets stay out of the tree unless asked: they go to a separate directory (mode 0700, files 0600); objects in
/// the tree refer to them by name, and `secrets.txt` in the tree lists which must exist.
/// Each file is written whole (temporary file, then rename) and only when its content changed; files an earlier
/// render of the same directory wrote and this one does not are removed (kiln keeps their list in `.kiln-files`).
public struct ManifestWriter {
    public struct Options: Sendable {
        public var includeSecrets = false
        public var secretsDirectory: String?
        public var gitops: GitOpsOptions?

        public init(includeSecrets: Bool = false, secretsDirectory: String? = nil, gitops: GitOpsOptions? = nil) {
            self.includeSecrets = includeSecrets
            self.secretsDirectory = secretsDirectory
            self.gitops = gitops
        }
    }

    public struct Summary: Sendable {
        public var written = 0
        public var unchanged = 0
        public var removed = 0
        public var secrets = 0
        public var objects = 0
        /// Where the Secrets went, when they went outside the tree.
        public var secretsDirectory: String?
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    static let inventory = ".kiln-files"

    public static func write(_ result: RenderResult, to directory: String, options: Options) throws -> Summary {
        var files: [(String, String)] = []
        var summary = Summary()
        let tree = options.includeSecrets ? result.objects : result.withoutSecrets
        summary.objects = tree.count
        for release in result.releases {
            let objects = tree.filter { $0.release == release }
            guard !objects.isEmpty else { continue }
            let names = fileNames(objects)
            for (object, name) in zip(objects, names) { files.append(("\(release)/\(name)", ManifestYAML.text(object))) }
            files.append(("\(release)/kustomization.yaml", kustomization(names)))
        }
        let present = result.releases.filter { r in tree.contains { $0.release == r } }
        files.append(("kustomization.yaml", kustomization(present)))
        if !options.includeSecrets, !result.secrets.isEmpty {
            files.append(("secrets.txt", "# Secrets the objects in this tree refer to; kiln writes them outside the tree.\n"
                + result.secrets.map { "\($0.namespace ?? "")/\($0.name)\n" }.joined()))
        }
        if let gitops = options.gitops {
            let wrappers = GitOpsWrappers.objects(result, gitops)
            let folder = gitops.engine.rawValue
            for object in wrappers { files.append(("\(folder)/\(object.name).yaml", ManifestYAML.text(object))) }
            files.append(("\(folder)/kustomization.yaml", kustomization(wrappers.map { "\($0.name).yaml" })))
        }
        try sync(files, into: directory, summary: &summary)
        if !options.includeSecrets, !result.secrets.isEmpty {
            let secretsDirectory = options.secretsDirectory ?? defaultSecretsDirectory(for: directory)
            var secretFiles: [(String, String)] = []
            for release in result.releases {
                let secrets = result.secrets.filter { $0.release == release }
                for (object, name) in zip(secrets, fileNames(secrets)) {
                    secretFiles.append(("\(release)/\(name)", ManifestYAML.text(object)))
                }
            }
            var secretSummary = Summary()
            try sync(secretFiles, into: secretsDirectory, summary: &secretSummary, directoryMode: 0o700, fileMode: 0o600)
            summary.secrets = secretFiles.count
            summary.secretsDirectory = secretsDirectory
        }
        return summary
    }

    /// `DIR.secrets` beside the tree. For `.`, `..` or `/`, the directory's own name (`-o .` in /repo/prod gives
    /// /repo/prod.secrets, not `..secrets`).
    static func defaultSecretsDirectory(for directory: String) -> String {
        let trimmed = withoutTrailingSlashes(directory)
        let last = trimmed.split(separator: "/").last.map(String.init) ?? ""
        guard last.isEmpty || last == "." || last == ".." else { return trimmed + ".secrets" }
        let absolute = URL(fileURLWithPath: trimmed).standardizedFileURL.path
        return absolute == "/" ? "/.secrets" : absolute + ".secrets"
    }

    /// `<kind>-<name>.yaml`, with the namespace added where the same kind and name appear in several namespaces
    /// (a pull secret, or a namespace's default policies).
    static func fileNames(_ objects: [ManifestObject]) -> [String] {
        var counts: [String: Int] = [:]
        for o in objects { counts[o.fileName, default: 0] += 1 }
        return objects.map { o in
            guard counts[o.fileName, default: 0] > 1, let ns = o.namespace else { return o.fileName }
            return "\(o.kind.lowercased())-\(ns)-\(o.name).yaml"
        }
    }

    static func kustomization(_ resources: [String]) -> String {
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n"
            + resources.map { "  - \($0)\n" }.joined()
    }

    /// Makes `directory` hold exactly `files` among the files kiln wrote there. Paths are joined as text (not `URL`s:
    /// a render writes hundreds of files, and URL path building was a tenth of its time).
    static func sync(_ files: [(String, String)], into directory: String, summary: inout Summary,
                     directoryMode: Int = 0o755, fileMode: Int = 0o644) throws {
        let fm = FileManager.default
        try makeDirectory(directory, mode: directoryMode)
        let root = withoutTrailingSlashes(directory)
        func path(_ relative: String) -> String { root + "/" + relative }
        func parent(_ path: String) -> String { path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "." }
        let inventoryPath = path(inventory)
        let previous = (try? String(contentsOfFile: inventoryPath, encoding: .utf8)).map { Set($0.split(separator: "\n").map(String.init)) } ?? []
        let current = Set(files.map(\.0))
        var made: Set<String> = [root]
        for (relative, text) in files {
            let target = path(relative)
            let folder = parent(target)
            if made.insert(folder).inserted { try makeDirectory(folder, mode: directoryMode) }
            if !previous.isEmpty, let existing = fm.contents(atPath: target), existing.elementsEqual(text.utf8) {
                summary.unchanged += 1
                continue
            }
            try atomicWrite(text, to: target, mode: fileMode)
            summary.written += 1
        }
        for stale in previous.subtracting(current).sorted() where !stale.contains("..") {
            let target = path(stale)
            if fm.fileExists(atPath: target) {
                try fm.removeItem(atPath: target)
                summary.removed += 1
            }
            // Drop the release directory once kiln's last file in it is gone.
            let folder = parent(target)
            if folder != root, (try? fm.contentsOfDirectory(atPath: folder))?.isEmpty == true {
                try? fm.removeItem(atPath: folder)
            }
        }
        try atomicWrite(current.sorted().joined(separator: "\n") + "\n", to: inventoryPath, mode: fileMode)
    }

    /// `out//` as `out`; `/` stays `/`.
    static func withoutTrailingSlashes(_ directory: String) -> String {
        var trimmed = directory
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed.removeLast() }
        return trimmed
    }

    static func makeDirectory(_ path: String, mode: Int) throws {
        // One mkdir (and a chmod, past the umask) for a release directory whose parent exists, as nearly all do:
        // FileManager's checks and attribute setting cost more than the files written into it.
        if mkdir(path, mode_t(mode)) == 0 {
            chmod(path, mode_t(mode))
            return
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw Failure(description: "\(path) exists and is not a directory") }
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: mode])
        } catch {
            throw Failure(description: "cannot create \(path): \(error.localizedDescription)")
        }
    }

    static func atomicWrite(_ text: String, to path: String, mode: Int) throws {
        do { try FileOutput.write(text, to: path, overwrite: true, mode: mode, durable: false) } catch {
            throw Failure(description: "\(error)")
        }
    }
}
