/// An image reference taken apart as registries read it: `registry/repository[:tag][@digest]`.
///
/// Docker Hub's short forms are made explicit (`nginx:1.27` is `docker.io/library/nginx:1.27`), so two spellings
/// of one image are one entry in the inventory and the lock.
public struct ImageReference: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let registry: String
    public let repository: String
    public let tag: String?
    public let digest: Digest?

    public static let dockerHub = "docker.io"

    public struct Invalid: Error, CustomStringConvertible {
        public let text: String
        public let reason: String
        public var description: String { "`\(text)` is not an image reference: \(reason)" }
    }

    public init(registry: String, repository: String, tag: String?, digest: Digest?) {
        self.registry = registry
        self.repository = repository
        self.tag = tag
        self.digest = digest
    }

    public init(parsing text: String) throws {
        func invalid(_ reason: String) -> Invalid { Invalid(text: text, reason: reason) }
        var rest = Substring(text)
        var digest: Digest?
        if let at = rest.lastIndex(of: "@") {
            do { digest = try Digest(parsing: String(rest[rest.index(after: at)...])) } catch { throw invalid("\(error)") }
            rest = rest[..<at]
        }
        var tag: String?
        // A colon after the last slash starts the tag; one before it is a registry port (`host:5000/app`).
        if let colon = rest.lastIndex(of: ":"), !rest[colon...].contains("/") {
            let candidate = rest[rest.index(after: colon)...]
            guard Self.isTag(candidate) else { throw invalid("the tag `\(candidate)` has characters a tag cannot have") }
            tag = String(candidate)
            rest = rest[..<colon]
        }
        var components = rest.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard !components.isEmpty, !rest.isEmpty else { throw invalid("no repository") }
        var registry = Self.dockerHub
        if components.count > 1, let first = components.first, first.contains(".") || first.contains(":") || first == "localhost" {
            registry = first == "index.docker.io" ? Self.dockerHub : first
            components.removeFirst()
        }
        if registry == Self.dockerHub, components.count == 1 { components.insert("library", at: 0) }
        for component in components where !Self.isPathComponent(component) {
            throw invalid(component.isEmpty ? "an empty path component" : "`\(component)` is not a lowercase repository path component")
        }
        self.init(registry: registry, repository: components.joined(separator: "/"), tag: tag, digest: digest)
    }

    /// `registry/repository`: what a registry's API paths and a lock's entries are keyed by.
    public var name: String { "\(registry)/\(repository)" }

    /// The full reference, always with its registry.
    public var description: String {
        var text = name
        if let tag { text += ":\(tag)" }
        if let digest { text += "@\(digest)" }
        return text
    }

    /// The same image by digest only (`registry/repo@sha256:…`): what a pinned render runs.
    public func pinned(to digest: Digest) -> ImageReference {
        ImageReference(registry: registry, repository: repository, tag: nil, digest: digest)
    }

    /// Without the digest: the tag a lock resolves (a reference with no tag means `latest`, as Docker reads it).
    public var unpinned: ImageReference {
        ImageReference(registry: registry, repository: repository, tag: tag ?? (digest == nil ? "latest" : nil), digest: nil)
    }

    public static func < (a: ImageReference, b: ImageReference) -> Bool { a.description < b.description }

    /// `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`, the distribution spec's tag.
    static func isTag(_ text: Substring) -> Bool {
        guard let first = text.utf8.first, text.utf8.count <= 128, isWord(first) else { return false }
        return text.utf8.allSatisfy { isWord($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }
    }

    /// Lowercase letters and digits, joined by `.`, `_`, `__` or runs of `-` (the distribution spec's path component).
    static func isPathComponent(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard let first = bytes.first, let last = bytes.last, isLowerAlnum(first), isLowerAlnum(last) else { return false }
        var i = 0
        while i < bytes.count {
            if isLowerAlnum(bytes[i]) { i += 1; continue }
            // A separator: `.`, `_`, `__`, or one or more `-`, always followed by an alphanumeric.
            var j = i
            switch bytes[i] {
            case UInt8(ascii: "."): j += 1
            case UInt8(ascii: "_"): j += (i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "_")) ? 2 : 1
            case UInt8(ascii: "-"): while j < bytes.count, bytes[j] == UInt8(ascii: "-") { j += 1 }
            default: return false
            }
            guard j < bytes.count, isLowerAlnum(bytes[j]) else { return false }
            i = j
        }
        return true
    }

    static func isLowerAlnum(_ c: UInt8) -> Bool { (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a) }
    static func isWord(_ c: UInt8) -> Bool { isLowerAlnum(c) || (c >= 0x41 && c <= 0x5a) || c == UInt8(ascii: "_") }
}
