import Foundation

/// Writes files so that a reader never sees half of one: the text goes to a temporary file beside the target,
/// which is then renamed over it.
public enum FileOutput {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Writes `text` to `path`. Refuses to replace an existing file unless `overwrite`.
    public static func write(_ text: String, to path: String, overwrite: Bool, mode: Int = 0o644) throws {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: path, isDirectory: &isDirectory) {
            if isDirectory.boolValue { throw Failure(description: "\(path) is a directory") }
            if !overwrite { throw Failure(description: "\(path) exists; pass --force to replace it") }
        }
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent()
        guard fm.fileExists(atPath: directory.path) else {
            throw Failure(description: "no such directory: \(directory.path)")
        }
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).kiln-\(getpid()).tmp")
        guard fm.createFile(atPath: temporary.path, contents: Data(text.utf8), attributes: [.posixPermissions: mode]) else {
            throw Failure(description: "cannot write in \(directory.path)")
        }
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? fm.removeItem(at: temporary)
            throw Failure(description: "cannot write \(path): \(reason)")
        }
    }
}
