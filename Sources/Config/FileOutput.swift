import Foundation

/// Writes files so that a reader never sees half of one: the text goes to a temporary file beside the target,
/// which is then renamed over it.
public enum FileOutput {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// This process's id, for temporary names: asked once, not once per file (a render writes hundreds).
    private static let processID = getpid()

    /// Writes `text` to `path`. Refuses to replace an existing file unless `overwrite`. With `durable`, the data
    /// reaches the disk before the rename (a config a person edits); without, readers still never see half a file,
    /// but a power cut may lose the last write (rendered output, which a rerun regenerates).
    public static func write(_ text: String, to path: String, overwrite: Bool, mode: Int = 0o644, durable: Bool = true) throws {
        if !overwrite || durable {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
                if isDirectory.boolValue { throw Failure(description: "\(path) is a directory") }
                if !overwrite { throw Failure(description: "\(path) exists; pass --force to replace it") }
            }
        }
        // Split as text: `URL` path handling costs more than the write itself for a small file.
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        let temporary = (directory == "/" ? "" : directory) + "/.\(name).kiln-\(processID).tmp"
        let fd = open(temporary, O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, mode_t(mode))
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            throw Failure(description: FileManager.default.fileExists(atPath: directory)
                          ? "cannot write in \(directory): \(reason)" : "no such directory: \(directory)")
        }
        var ok = true
        var text = text
        text.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = Foundation.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n <= 0 { ok = false; return }
                offset += n
            }
        }
        if durable, ok { ok = fsync(fd) == 0 }
        close(fd)
        guard ok, rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw Failure(description: "cannot write \(path): \(reason)")
        }
    }
}
