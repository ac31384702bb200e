import Foundation

/// Where a directory sits in the Git repository that holds it: GitOps engines read paths relative to the
/// repository's root, so the wrappers must carry that, never the path kiln was given (absolute, or relative to
/// wherever kiln ran).
enum GitRepositoryPath {
    /// `directory` relative to the nearest ancestor with a `.git` entry (a directory, or the file a worktree or
    /// submodule has); `inRepository` is false when there is none, and the path is then relative to `current`.
    /// The directory need not exist yet. "" is the root itself.
    static func of(_ directory: String, current: String = FileManager.default.currentDirectoryPath)
        -> (path: String, inRepository: Bool) {
        let components = components(directory, current: current)
        for depth in stride(from: components.count, through: 0, by: -1) {
            let candidate = "/" + components.prefix(depth).map { $0 + "/" }.joined() + ".git"
            if FileManager.default.fileExists(atPath: candidate) {
                return (components.dropFirst(depth).joined(separator: "/"), true)
            }
        }
        let base = Self.components(current, current: "/")
        let common = zip(base, components).prefix { $0 == $1 }.count
        let relative = Array(repeating: "..", count: base.count - common) + components.dropFirst(common)
        return (relative.joined(separator: "/"), false)
    }

    /// The absolute path's components, with `.` and `..` resolved as written (not through symlinks).
    static func components(_ path: String, current: String) -> [String] {
        URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: current, isDirectory: true))
            .standardizedFileURL.path.split(separator: "/").map(String.init)
    }
}
