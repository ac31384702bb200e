/// A last step for every image reference the render writes, given the upstream reference (as the catalog names it)
/// and the one the cluster would pull (the private registry's when offline), returning what to write.
///
/// Digest pinning is one: it swaps tags for the digests a lock recorded. It is a hook rather than a pass over the
/// rendered objects so that everything derived from an image name (the config-revision labels, the central-config
/// digest on the nucleus pods) is derived from the pinned one. The lock itself lives in `Bundle`, above this module.
public struct ImageRewrite: Sendable {
    public let rewrite: @Sendable (_ upstream: String, _ pulled: String) -> String

    public init(_ rewrite: @escaping @Sendable (_ upstream: String, _ pulled: String) -> String) {
        self.rewrite = rewrite
    }
}
