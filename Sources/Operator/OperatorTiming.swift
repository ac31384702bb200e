/// Every interval the operator waits on, injectable so tests run in milliseconds what a cluster does in minutes.
public struct OperatorTiming: Sendable {
    /// Retries after failed reconciles.
    public var backoff = Backoff()
    /// Overrides every Platform's `spec.drift.interval` (tests); nil: the spec's.
    public var driftInterval: Double?
    /// Readiness waits of an apply: how long a wave may take, and how often it is polled.
    public var waveTimeout = 600.0
    public var pollInterval = 1.0
    /// Wait for readiness between waves (as `kiln apply`); a bare API server has no controllers to make pods ready.
    public var waitForReadiness = true
    /// The leader Lease: how long it holds without renewal, how long the leader keeps leading without a successful
    /// renewal (shorter, so that it has stopped before a standby takes over), how often the leader renews, how often
    /// others retry. client-go's defaults: 15 s, 10 s, 2 s.
    public var leaseDuration = 15.0
    public var renewDeadline = 10.0
    public var renewInterval = 5.0
    public var retryInterval = 2.0
    /// The longest the controller sleeps between looking for due work (a wake-up comes sooner with any event).
    public var idleWakeup = 30.0

    public init() {}

    /// Fast timing for tests against the test API server.
    public static var fast: OperatorTiming {
        var timing = OperatorTiming()
        timing.backoff = Backoff(initial: 0.05, maximum: 0.2, stallAfter: 3)
        timing.waveTimeout = 10
        timing.pollInterval = 0.02
        // Short, but not so short that a loaded CI machine (every suite at once on two cores) misses renewals for a
        // whole deadline (a 2 s deadline did). A takeover after a crash waits a lease duration, so a test that crashes
        // a leader gives that one a shorter lease.
        timing.leaseDuration = 10
        timing.renewDeadline = 7
        timing.renewInterval = 0.5
        timing.retryInterval = 0.2
        timing.idleWakeup = 0.5
        return timing
    }
}
