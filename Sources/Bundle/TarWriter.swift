/// A tar archive written as a stream: headers, then each file's bytes read in chunks from disk, never a whole file
/// in memory, then the end-of-archive blocks, padded to tar's 10 KiB record.
struct TarWriter {
    static let record = 10240

    struct Entry {
        /// The path in the archive; directories end with `/`.
        let name: String
        /// The file to read, nil for a directory.
        let source: String?
        let size: Int64
        /// Permission bits; nil for 0755 directories and 0644 files.
        var mode: Int? = nil
    }

    /// The archive's exact size, known before writing it (the part numbers' width depends on it).
    static func size(of entries: [Entry]) -> Int64 {
        var total: Int64 = 0
        for entry in entries {
            total += Int64(header(entry).blocks().count) + entry.size + Int64(TarHeader.padding(entry.size))
        }
        total += Int64(2 * TarHeader.block)
        let rest = total % Int64(record)
        return rest == 0 ? total : total + Int64(record) - rest
    }

    static func header(_ entry: Entry) -> TarHeader {
        TarHeader(name: entry.name, size: entry.size, mode: entry.mode ?? (entry.source == nil ? 0o755 : 0o644),
                  kind: entry.source == nil ? .directory : .file)
    }

    /// Writes the entries in the order given (callers sort them). A file whose size changed since it was measured is
    /// refused: the header already promised the old size.
    static func write(_ entries: [Entry], to output: SplitOutput) throws {
        var total: Int64 = 0
        for entry in entries {
            let header = header(entry).blocks()
            try output.write(header)
            total += Int64(header.count)
            if let source = entry.source {
                var copied: Int64 = 0
                try FileChunks.read(source) { chunk in
                    copied += Int64(chunk.count)
                    guard copied <= entry.size else { return }
                    try output.write(chunk)
                }
                guard copied == entry.size else {
                    throw FileChunks.Failure(description: "\(source) changed size while being archived")
                }
                let padding = TarHeader.padding(entry.size)
                try output.write([UInt8](repeating: 0, count: padding))
                total += entry.size + Int64(padding)
            }
        }
        let end = Int(size(of: entries) - total)
        try output.write([UInt8](repeating: 0, count: end))
    }
}
