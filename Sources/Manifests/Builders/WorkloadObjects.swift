import Schema

/// Deployments, StatefulSets, DaemonSets, Jobs and CronJobs around a pod template.
public enum WorkloadObjects {
    public static func deployment(_ name: String, namespace: String, labels: [String: String], selector: [String: String],
                                  replicas: Int?, pod: PodTemplate, release: String) -> ManifestObject {
        // nil leaves replicas to a HorizontalPodAutoscaler: an applied count would fight it on every apply.
        ManifestObject(apiVersion: "apps/v1", kind: "Deployment", name: name, namespace: namespace, labels: labels, body: [
            ("spec", .fields([
                ("replicas", replicas.map { .number(Double($0)) }),
                ("revisionHistoryLimit", .number(5)),
                ("selector", .object([("matchLabels", .sortedObject(selector))])),
                ("strategy", .object([("type", .string("RollingUpdate")), ("rollingUpdate", .object([
                    ("maxUnavailable", .number(0)), ("maxSurge", .number(1)),
                ]))])),
                ("template", pod.json),
            ])),
        ], release: release)
    }

    public struct ClaimTemplate: Sendable {
        public let name: String
        public let storageClass: String
        public let size: String

        public init(name: String, storageClass: String, size: String) {
            self.name = name
            self.storageClass = storageClass
            self.size = size
        }
    }

    public static func statefulSet(_ name: String, namespace: String, labels: [String: String], selector: [String: String],
                                   replicas: Int, serviceName: String, pod: PodTemplate, claims: [ClaimTemplate],
                                   release: String) -> ManifestObject {
        var spec: [(String, JSONValue)] = [
            ("replicas", .number(Double(replicas))),
            ("serviceName", .string(serviceName)),
            ("podManagementPolicy", .string("OrderedReady")),
            ("selector", .object([("matchLabels", .sortedObject(selector))])),
            ("updateStrategy", .object([("type", .string("RollingUpdate"))])),
            ("template", pod.json),
        ]
        if !claims.isEmpty {
            spec.append(("volumeClaimTemplates", .array(claims.map { c in
                .object([("metadata", .object([("name", .string(c.name)), ("labels", .sortedObject(selector))])),
                         ("spec", CoreObjects.claimSpec(storageClass: c.storageClass, size: c.size))])
            })))
            spec.append(("persistentVolumeClaimRetentionPolicy", .object([
                ("whenDeleted", .string("Retain")), ("whenScaled", .string("Retain")),
            ])))
        }
        return ManifestObject(apiVersion: "apps/v1", kind: "StatefulSet", name: name, namespace: namespace, labels: labels,
                              body: [("spec", .object(spec))], release: release)
    }

    public static func daemonSet(_ name: String, namespace: String, labels: [String: String], selector: [String: String],
                                 pod: PodTemplate, release: String) -> ManifestObject {
        ManifestObject(apiVersion: "apps/v1", kind: "DaemonSet", name: name, namespace: namespace, labels: labels, body: [
            ("spec", .object([
                ("selector", .object([("matchLabels", .sortedObject(selector))])),
                ("updateStrategy", .object([("type", .string("RollingUpdate"))])),
                ("template", pod.json),
            ])),
        ], release: release)
    }

    static func jobSpec(_ pod: PodTemplate) -> JSONValue {
        var pod = pod
        pod.restartPolicy = "OnFailure"
        return .object([("backoffLimit", .number(3)), ("ttlSecondsAfterFinished", .number(86400)), ("template", pod.json)])
    }

    public static func job(_ name: String, namespace: String, labels: [String: String], pod: PodTemplate,
                           release: String) -> ManifestObject {
        ManifestObject(apiVersion: "batch/v1", kind: "Job", name: name, namespace: namespace, labels: labels,
                       body: [("spec", jobSpec(pod))], release: release)
    }

    public static func cronJob(_ name: String, namespace: String, labels: [String: String], schedule: String, pod: PodTemplate,
                               release: String) -> ManifestObject {
        ManifestObject(apiVersion: "batch/v1", kind: "CronJob", name: name, namespace: namespace, labels: labels, body: [
            ("spec", .object([
                ("schedule", .string(schedule)),
                ("concurrencyPolicy", .string("Forbid")),
                ("successfulJobsHistoryLimit", .number(3)),
                ("failedJobsHistoryLimit", .number(3)),
                ("jobTemplate", .object([("spec", jobSpec(pod))])),
            ])),
        ], release: release)
    }
}
