/// The one jittered back-off kiln waits with between failed attempts (a dropped watch, a failed reconcile): the step
/// doubles from `initial` per failure up to `maximum`, and the wait is random between half the step and all of it, so
/// many clients (or replicas) do not retry in step.
public enum ExponentialBackoff {
    /// Seconds to wait after the `failures`th failure in a row (1 for the first).
    public static func jittered(after failures: Int, initial: Double, maximum: Double) -> Double {
        let step = min(maximum, initial * Double(1 << min(max(failures - 1, 0), 20)))
        return Double.random(in: (step / 2)...max(step, step / 2 + 0.000_001))
    }
}
