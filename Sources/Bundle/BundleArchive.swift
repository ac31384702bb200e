import Config
import Foundation

/// `docker-images-<version>.tar`: an OCI image layout (plus `images.json` and the lock) as one streamed tar, with
/// the files the reference ships beside it — `.tar.sha256sum`, and with a part size, the parts `…tar00`, `…tar01`…,
/// `.parts.txt` (one part name a line) and `.parts.sha256sum` — so that `sha256sum -c` and
/// `cat docker-images-<version>.tar[0-9]* > docker-images-<version>.tar` work as the reference's docs say.
public enum BundleArchive {
    public static func tarName(_ version: String) -> String { "docker-images-\(version).tar" }
    public static func checksumName(_ version: String) -> String { tarName(version) + ".sha256sum" }
    public static func partsListName(_ version: String) -> String { "docker-images-\(version).parts.txt" }
    public static func partsChecksumName(_ version: String) -> String { "docker-images-\(version).parts.sha256sum" }

    public struct Summary: Sendable, Encodable {
        public let tar: String
        public let digest: String
        public let size: Int64
        /// The part file names, in order; empty without a part size.
        public let parts: [String]
        /// Every file written, by name.
        public let files: [String]
    }

    /// Archives the layout (its files at the top of the tar) and `extraFiles` (name in the tar → path on disk) into
    /// `directory`. The entries are sorted by name, so the same layout always gives the same bytes. Parts and lists
    /// left by an earlier run with another part size are removed: `cat …tar[0-9]*` must see only this run's parts.
    public static func write(layout: OCILayout, extraFiles: [String: String] = [:], version: String, to directory: String,
                             maxPartSize: Int64? = nil) throws -> Summary {
        let entries = try self.entries(layout.path, extraFiles: extraFiles)
        let name = tarName(version)
        let total = TarWriter.size(of: entries)
        try removeStale(name, version: version, in: directory)
        let output = try SplitOutput(directory: directory, name: name, partSize: maxPartSize, totalSize: total)
        try TarWriter.write(entries, to: output)
        let digest = try output.finish()
        var files = [name]
        if maxPartSize != nil {
            files = output.parts.map(\.name)
            try FileOutput.write(output.parts.map { $0.name + "\n" }.joined(), to: "\(directory)/\(partsListName(version))",
                                 overwrite: true)
            try FileOutput.write(ChecksumFile.text(output.parts), to: "\(directory)/\(partsChecksumName(version))", overwrite: true)
            files += [partsListName(version), partsChecksumName(version)]
        }
        try FileOutput.write(ChecksumFile.text([(name, digest)]), to: "\(directory)/\(checksumName(version))", overwrite: true)
        files.append(checksumName(version))
        return Summary(tar: name, digest: digest.description, size: total, parts: output.parts.map(\.name), files: files)
    }

    /// Every directory and file under `root`, plus the extra files, sorted by archive name.
    static func entries(_ root: String, extraFiles: [String: String]) throws -> [TarWriter.Entry] {
        var entries: [TarWriter.Entry] = []
        guard let walker = FileManager.default.enumerator(atPath: root) else {
            throw OCILayout.Failure(description: "cannot read \(root)")
        }
        while let relative = walker.nextObject() as? String {
            // Temporary files of an interrupted blob write are not part of the layout.
            if (relative as NSString).lastPathComponent.hasPrefix(".") { continue }
            let path = "\(root)/\(relative)"
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                entries.append(.init(name: relative + "/", source: nil, size: 0))
            } else if let size = FileChunks.size(of: path) {
                entries.append(.init(name: relative, source: path, size: size))
            }
        }
        for (name, path) in extraFiles {
            guard let size = FileChunks.size(of: path) else { throw OCILayout.Failure(description: "cannot read \(path)") }
            entries.append(.init(name: name, source: path, size: size))
        }
        return entries.sorted { Array($0.name.utf8).lexicographicallyPrecedes(Array($1.name.utf8)) }
    }

    static func removeStale(_ name: String, version: String, in directory: String) throws {
        let existing = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for file in existing {
            let isPart = file.hasPrefix(name) && file.count > name.count && file.dropFirst(name.count).allSatisfy(\.isNumber)
            if isPart || file == partsListName(version) || file == partsChecksumName(version) || file == name {
                try FileManager.default.removeItem(atPath: "\(directory)/\(file)")
            }
        }
    }
}
