import Foundation

/// Where an archive's bytes go: one file, or parts of at most `partSize` bytes (`<name>00`, `<name>01`, …, as the
/// reference names them, so `cat name[0-9]* > name` puts them back in order). It hashes the whole stream and each part
/// as the bytes pass, and writes temporary files that `finish` renames into place together, so a reader never finds
/// half an archive under its name.
final class SplitOutput {
    let directory: String
    let name: String
    let partSize: Int64?
    let digitCount: Int

    private(set) var whole = SHA256Hasher()
    private(set) var parts: [(name: String, digest: Digest)] = []
    private var current = SHA256Hasher()
    private var fd: Int32 = -1
    private var written: Int64 = 0
    private var temporaries: [(temporary: String, final: String)] = []

    /// `totalSize` fixes the width of the part numbers before the first part is named (two digits at least).
    init(directory: String, name: String, partSize: Int64?, totalSize: Int64) throws {
        self.directory = directory
        self.name = name
        self.partSize = partSize
        let count = partSize.map { max(1, (totalSize + $0 - 1) / $0) } ?? 1
        digitCount = max(2, String(count - 1).count)
        try open(partSize == nil ? name : partName(0))
    }

    func partName(_ index: Int) -> String {
        let number = String(index)
        return name + String(repeating: "0", count: max(0, digitCount - number.count)) + number
    }

    private func open(_ file: String) throws {
        let temporary = "\(directory)/.\(file).kiln-\(getpid()).tmp"
        fd = Foundation.open(temporary, O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileChunks.Failure.errno("write", temporary) }
        temporaries.append((temporary, "\(directory)/\(file)"))
    }

    private func closePart() throws {
        let ok = fsync(fd) == 0
        close(fd)
        fd = -1
        guard ok else { throw FileChunks.Failure.errno("write", temporaries.last!.temporary) }
        if partSize != nil { parts.append((partName(parts.count), current.finish())) }
        current = SHA256Hasher()
        written = 0
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        var rest = bytes
        while !rest.isEmpty {
            if let partSize, written == partSize {
                try closePart()
                try open(partName(parts.count))
            }
            let room = partSize.map { Int(min(Int64(rest.count), $0 - written)) } ?? rest.count
            let piece = UnsafeRawBufferPointer(rebasing: rest[..<room])
            try FileChunks.write(fd, piece, path: temporaries.last!.temporary)
            whole.update(piece)
            current.update(piece)
            written += Int64(room)
            rest = UnsafeRawBufferPointer(rebasing: rest[room...])
        }
    }

    func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    /// Closes the last file and renames every file into place; returns the digest of the whole stream.
    func finish() throws -> Digest {
        try closePart()
        for (temporary, final) in temporaries where rename(temporary, final) != 0 {
            throw FileChunks.Failure.errno("write", final)
        }
        temporaries = []
        return whole.finish()
    }

    deinit {
        if fd >= 0 { close(fd) }
        for (temporary, _) in temporaries { unlink(temporary) }
    }
}
