import Foundation

/// Runs long blocking work (minutes of rendering, a validator process, a CLI run that takes seconds) on a GCD thread:
/// on a 2-core machine Swift's cooperative pool has two threads, and a test that blocks one for seconds starves the
/// network tests beside it (their deadlines fail while their tasks wait to be scheduled).
public func offPool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        DispatchQueue.global(qos: .utility).async { continuation.resume(returning: work()) }
    }
}
