import Metrics
import Prometheus

/// The operator's Prometheus metrics, through swift-metrics with swift-prometheus's registry (one per operator, not
/// the process-global bootstrap, so several operators — tests — keep their own counts).
public final class OperatorMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    let factory: PrometheusMetricsFactory

    public init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [.milliseconds(50), .milliseconds(250), .seconds(1), .seconds(5), .seconds(30),
                                                   .seconds(120), .seconds(600)]
        self.factory = factory
    }

    func reconciled(_ result: String, seconds: Double) {
        Counter(label: "kiln_operator_reconciles_total", dimensions: [("result", result)], factory: factory).increment()
        Metrics.Timer(label: "kiln_operator_reconcile_duration_seconds", dimensions: [], preferredDisplayUnit: .seconds, factory: factory)
            .recordNanoseconds(Int64(seconds * 1e9))
    }

    func drifted(_ count: Int, platform: String) {
        Gauge(label: "kiln_operator_drifted_objects", dimensions: [("platform", platform)], factory: factory).record(count)
    }

    func applyRequest(_ kind: String) {
        Counter(label: "kiln_operator_apply_requests_total", dimensions: [("change", kind)], factory: factory).increment()
    }

    func error(_ stage: String) {
        Counter(label: "kiln_operator_errors_total", dimensions: [("stage", stage)], factory: factory).increment()
    }

    func leader(_ isLeader: Bool) {
        Gauge(label: "kiln_operator_leader", dimensions: [], factory: factory).record(isLeader ? 1 : 0)
    }

    /// The text exposition format, as `/metrics` serves it.
    public var text: String { registry.emitToString() }
}
