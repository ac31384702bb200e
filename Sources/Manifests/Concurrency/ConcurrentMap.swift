import Dispatch

extension Array where Element: Sendable {
    /// `map` spread over every core, in order: for pure CPU work per element (rendering a release, digesting one,
    /// writing an object's YAML). The render of one config is a few milliseconds of such work, so the pool's threads
    /// (Dispatch's, not the cooperative pool's, which async callers may be holding) are worth waking only for more
    /// than one element.
    ///
    /// `transform` runs concurrently with itself: it must only read what it shares.
    func concurrentMap<T>(_ transform: @Sendable (Element) -> T) -> [T] {
        guard count > 1 else { return map(transform) }
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            let slots = SlotPointer(base: buffer.baseAddress!)
            DispatchQueue.concurrentPerform(iterations: count) { i in
                (slots.base + i).initialize(to: transform(self[i]))
            }
            initialized = count
        }
    }
}

/// Each iteration of `concurrentMap` initialises its own slot of the result, and no other.
private struct SlotPointer<T>: @unchecked Sendable {
    let base: UnsafeMutablePointer<T>
}
