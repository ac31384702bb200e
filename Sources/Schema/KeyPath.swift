/// A path into a config as a person writes it: `storage_classes.block.name`, `helm.image_registries[0].server`.
/// Keys that contain dots or brackets are quoted: `annotations["service.beta.kubernetes.io/aws-load-balancer-type"]`.
public struct KeyPath: Sendable, Hashable, CustomStringConvertible {
    public enum Component: Sendable, Hashable {
        case key(String)
        case index(Int)
    }

    public var components: [Component]

    public init(_ components: [Component] = []) {
        self.components = components
    }

    public static let root = KeyPath()

    public func appending(_ key: String) -> KeyPath { KeyPath(components + [.key(key)]) }
    public func appending(index: Int) -> KeyPath { KeyPath(components + [.index(index)]) }

    /// The last key, ignoring indices (`password` for `helm.image_registries[0].password`).
    public var lastKey: String? {
        for c in components.reversed() { if case .key(let k) = c { return k } }
        return nil
    }

    public var keys: [String] {
        components.compactMap { if case .key(let k) = $0 { return k } else { return nil } }
    }

    public var description: String {
        var out = ""
        for c in components {
            switch c {
            case .index(let i): out += "[\(i)]"
            case .key(let k):
                if k.isEmpty || k.utf8.contains(where: { $0 == 0x2E || $0 == 0x5B || $0 == 0x5D || $0 == 0x22 || $0 == 0x20 }) {
                    out += "[\"\(k)\"]"
                } else {
                    out += out.isEmpty ? k : "." + k
                }
            }
        }
        return out
    }

    /// Parses the dotted form back (`a.b[0]["c.d"]`); `[]` and `*` stand for any index or key and become `.index(-1)`
    /// and `.key("*")`.
    public init(parsing text: String) {
        var components: [Component] = []
        var i = text.startIndex
        var current = ""
        func flush() {
            if !current.isEmpty { components.append(current == "*" ? .key("*") : .key(current)) }
            current = ""
        }
        while i < text.endIndex {
            let c = text[i]
            if c == "." {
                flush()
            } else if c == "[" {
                flush()
                guard let close = text[i...].firstIndex(of: "]") else { current.append(contentsOf: text[i...]); break }
                let inner = text[text.index(after: i)..<close]
                if inner.hasPrefix("\""), inner.hasSuffix("\""), inner.count >= 2 {
                    components.append(.key(String(inner.dropFirst().dropLast())))
                } else if let n = Int(inner) {
                    components.append(.index(n))
                } else {
                    components.append(.index(-1))
                }
                i = close
            } else {
                current.append(c)
            }
            i = text.index(after: i)
        }
        flush()
        self.components = components
    }
}
