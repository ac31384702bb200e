import Foundation

/// What a render's image hook saw, collected across the calls the renderer makes. The hook is a `@Sendable` closure,
/// so what it learns goes into this one locked box rather than into a value it cannot mutate.
final class ImageLog: @unchecked Sendable {
    private let lock = NSLock()
    private var upstreams: [String: String] = [:]
    private var unpinned: Set<String> = []

    func saw(pulled: String, upstream: String) {
        lock.lock(); defer { lock.unlock() }
        upstreams[pulled] = upstream
    }

    func missed(_ upstream: String) {
        lock.lock(); defer { lock.unlock() }
        unpinned.insert(upstream)
    }

    /// Pulled reference → upstream reference.
    var sources: [String: String] { lock.lock(); defer { lock.unlock() }; return upstreams }
    var missing: [String] { lock.lock(); defer { lock.unlock() }; return unpinned.sorted() }
}
