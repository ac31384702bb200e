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
        let step = min(maximum, initial * Double(1 << min(max(failures - 1, 0), 20)))
        return Double.random(in: (step / 2)...max(step, step / 2 + 0.000_001))
    }

    public func isStalled(_ failures: Int) -> Bool { failures >= stallAfter }
}
