import Kube

/// Retry timing after failed reconciles: exponential from `initial`, capped at `maximum`, with jitter (a random
/// delay between half and all of the step, so replicas of many operators do not retry in step). After `stallAfter`
/// failures in a row the Platform is reported Stalled (retries go on, at the cap).
public struct Backoff: Sendable {
    public var initial: Double
    public var maximum: Double
    public var stallAfter: Int

    public init(initial: Double = 5, maximum: Double = 300, stallAfter: Int = 5) {
        self.initial = initial
        self.maximum = maximum
        self.stallAfter = stallAfter
    }

    /// Seconds to wait after the `failures`th failure in a row (1 for the first).
    public func delay(after failures: Int) -> Double {
        ExponentialBackoff.jittered(after: failures, initial: initial, maximum: maximum)
    }

    public func isStalled(_ failures: Int) -> Bool { failures >= stallAfter }
}
