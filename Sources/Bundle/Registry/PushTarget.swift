/// `kiln bundle push`'s REGISTRY: `host[:port][/prefix]`, optionally `http://` (plain HTTP) or `https://`. Images
/// land where an offline config whose `offline.image_registry` is the same text makes the render pull them: the
/// upstream reference's registry host is replaced by it, the repository path kept
/// (`quay.io/domino/nucleus:6.1.2` → `registry.example.com:5000/domino/nucleus:6.1.2`), and a reference without a
/// registry host gets it in front (`nginx:1.27` → `registry.example.com:5000/nginx:1.27`), exactly as
/// `RenderContext` rewrites (`PushTargetTests` checks the two agree over the whole inventory).
public struct PushTarget: Sendable, Equatable {
    /// As `offline.image_registry` would say it: `host[:port][/prefix]`.
    public let registry: String
    /// `host[:port]`.
    public let host: String
    /// nil for the registry's own choice (loopback plain HTTP, the rest HTTPS); true for `http://`.
    public let plainHTTP: Bool?

    public struct Invalid: Error, CustomStringConvertible { public let description: String }

    public init(parsing text: String) throws {
        var rest = Substring(text)
        var plain: Bool?
        if rest.hasPrefix("http://") { plain = true; rest = rest.dropFirst(7) } else if rest.hasPrefix("https://") { plain = false; rest = rest.dropFirst(8) }
        while rest.hasSuffix("/") { rest = rest.dropLast() }
        let host = rest.split(separator: "/", maxSplits: 1).first.map(String.init) ?? ""
        guard !host.isEmpty, !rest.contains("@"), !rest.contains(" ") else {
            throw Invalid(description: "`\(text)` is not a registry (host[:port][/prefix], e.g. registry.example.com:5000/domino)")
        }
        registry = String(rest)
        self.host = host
        plainHTTP = plain
    }

    /// The reference the render pulls for `original` (the upstream reference as the catalog spells it).
    public func reference(for original: String) throws -> ImageReference {
        try ImageReference(parsing: Self.rewrite(original, registry: registry))
    }

    /// The render's rewrite of an image reference to the private registry.
    public static func rewrite(_ reference: String, registry: String) -> String {
        let parts = reference.split(separator: "/", maxSplits: 1)
        guard parts.count == 2, parts[0].contains(".") || parts[0].contains(":") || parts[0] == "localhost" else {
            return registry + "/" + reference
        }
        return registry + "/" + parts[1]
    }
}
