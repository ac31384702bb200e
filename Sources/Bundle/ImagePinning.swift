import Manifests

/// `kiln render --pin-digests LOCK`: every image the render names becomes `registry/repository@sha256:…`, with the
/// digest the lock recorded for its upstream reference (the private registry holds the same bytes under the same
/// digest, so an offline config's references are pinned too). An image the lock does not know is collected in
/// `missing`: a render with any is refused, never half pinned.
public struct ImagePinning: Sendable {
    public let lock: ImageLock
    private let log = ImageLog()

    public init(lock: ImageLock) {
        self.lock = lock
    }

    /// The hook to render with; afterwards `missing` lists what it could not pin.
    public var rewrite: ImageRewrite {
        let lock = lock, log = log
        return ImageRewrite { upstream, pulled in
            guard let source = try? ImageReference(parsing: upstream), let target = try? ImageReference(parsing: pulled) else {
                log.missed(upstream)
                return pulled
            }
            if target.digest != nil { return pulled }
            guard let digest = source.digest ?? lock.digest(for: source) else {
                log.missed(source.description)
                return pulled
            }
            return target.pinned(to: digest).description
        }
    }

    /// The upstream references the lock had no digest for, sorted.
    public var missing: [String] { log.missing }
}
