/// Wakes the controller's loop: informer events ring it; the loop waits on it with a time-out for its next due work.
/// A ring with nobody waiting is kept for the next wait, so no event is missed between looking and waiting.
actor Doorbell {
    private var rung = false
    private var waiter: CheckedContinuation<Void, Never>?

    func ring() {
        if let waiter {
            self.waiter = nil
            waiter.resume()
        } else {
            rung = true
        }
    }

    /// Returns at the next ring, or after `timeout` seconds, or at once if rung since the last wait.
    func wait(timeout: Double) async {
        if rung {
            rung = false
            return
        }
        let timer = Task { [weak self] in
            try? await Task.sleep(for: .milliseconds(Int(max(0.001, timeout) * 1000)))
            await self?.ring()
        }
        await withCheckedContinuation { waiter = $0 }
        timer.cancel()
        rung = false
    }
}
