import Foundation

/// Values computed once per key for the whole test run. The examples' renders cost ~150 ms each in a debug build and
/// dozens of sync tests read the same few; computed afresh on the cooperative pool, they held both of CI's threads for
/// the first 15-20 s of a run, and network tests beside them missed their deadlines. Two first reads of one key may
/// both compute it (the values are equal): nothing waits on a lock while another thread works.
public final class Memo<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [String: Value] = [:]

    public init() {}

    public func value(_ key: String, _ make: () -> Value) -> Value {
        if let known = lock.withLock({ values[key] }) { return known }
        let made = make()
        return lock.withLock {
            if let first = values[key] { return first }
            values[key] = made
            return made
        }
    }
}
