/// What `kiln bundle verify` found: the checksums and blobs it checked, and every problem, the first corrupt file first.
public struct VerifyReport: Sendable, Encodable {
    public struct Problem: Sendable, Encodable, CustomStringConvertible {
        /// The corrupt or missing file: a path on disk, or an entry's name inside `archive`.
        public let file: String
        /// The tar the entry was read from, for a blob checked inside an archive.
        public let archive: String?
        public let reason: String

        public var description: String { archive.map { "\(file) (in \($0)): \(reason)" } ?? "\(file): \(reason)" }
    }

    /// The checksum files and archives checked, in order.
    public internal(set) var checked: [String] = []
    /// How many blobs had their digest checked.
    public internal(set) var blobs = 0
    /// Parts first, then archives, then blobs: a corrupt part also breaks the tar and a blob in it, and the part is
    /// the file to fetch again.
    public internal(set) var problems: [Problem] = []

    public var intact: Bool { problems.isEmpty }
    public var firstCorrupt: Problem? { problems.first }

    enum CodingKeys: String, CodingKey { case intact, checked, blobs, problems }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(intact, forKey: .intact)
        try c.encode(checked, forKey: .checked)
        try c.encode(blobs, forKey: .blobs)
        try c.encode(problems, forKey: .problems)
    }
}
