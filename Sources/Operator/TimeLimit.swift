/// Runs `work` for at most `limit`: its result, or nil once the limit passes (the work is then cancelled, which
/// aborts a suspended socket read or an HTTP transfer). For the waits that must not outlive a deadline: a Lease
/// renewal, a client's request head.
func withinTimeLimit<T: Sendable>(_ limit: Duration, _ work: @escaping @Sendable () async -> T?) async -> T? {
    await withTaskGroup(of: T?.self) { group in
        group.addTask { await work() }
        group.addTask {
            try? await Task.sleep(for: limit)
            return nil
        }
        let first = await group.next() ?? nil
        group.cancelAll()
        return first
    }
}
