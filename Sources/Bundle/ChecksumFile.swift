/// A checksum file as `sha256sum` writes it and `sha256sum -c` reads it: `<64 hex>  <file name>` per line.
public enum ChecksumFile {
    public static func text(_ entries: [(name: String, digest: Digest)]) -> String {
        entries.map { "\($0.digest.hex)  \($0.name)\n" }.joined()
    }

    public struct Invalid: Error, CustomStringConvertible {
        public let file: String
        public let line: Int
        public var description: String { "\(file):\(line): not a `<sha256 hex>  <file name>` line" }
    }

    /// The entries of a checksum file; `*name` (binary mode) is read as `name`.
    public static func parse(_ text: String, file: String) throws -> [(name: String, digest: Digest)] {
        var entries: [(String, Digest)] = []
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
            let hex = line.prefix(64)
            var name = line.dropFirst(64)
            guard name.hasPrefix(" "), let digest = try? Digest(parsing: "sha256:\(hex)") else { throw Invalid(file: file, line: i + 1) }
            name = name.dropFirst()
            if name.hasPrefix(" ") || name.hasPrefix("*") { name = name.dropFirst() }
            guard !name.isEmpty else { throw Invalid(file: file, line: i + 1) }
            entries.append((String(name), digest))
        }
        return entries
    }
}
