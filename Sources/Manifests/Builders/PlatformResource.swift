import Schema

/// kiln's `Platform` custom resource: the install config of one platform, with the switches the operator reads (dry
/// run, suspend, drift handling) and the status it reports. The equivalent of the reference's `Domino` resource.
public enum PlatformResource {
    public static let group = "kiln.dev"
    public static let version = "v1alpha1"
    public static let apiVersion = "\(group)/\(version)"
    public static let kind = "Platform"
    public static let plural = "platforms"
    /// The namespace the resource lives in, as the reference's operator namespace.
    public static let namespace = "domino-operator"
    /// Set (to any new value, by convention a time) to make the operator reconcile now (`kiln reconcile`).
    public static let reconcileRequestedAnnotation = "kiln.dev/reconcile-requested-at"

    /// The CRD, with a structural schema (the config itself is preserved as written: kiln validates it).
    public static func definition(labels: [String: String]) -> ManifestObject {
        typealias S = CRDSchema
        let releaseState = S.object([
            ("name", S.string()), ("ready", S.boolean()), ("reason", S.string()), ("message", S.string()), ("drifted", S.boolean()),
        ], required: ["name"])
        let override = S.object([("mode", S.driftMode), ("ignore", S.driftIgnore), ("suspend", S.boolean("Stop drift correction of this release."))])
        let spec = S.object([
            ("config", .object([("type", .string("object")), ("x-kubernetes-preserve-unknown-fields", .bool(true)),
                                ("description", .string("The install configuration (schema 1.14); secrets as ${secret:NAME/KEY}."))])),
            ("version", S.string(enum: ["6.1.0", "6.1.1", "6.1.2"])),
            ("dryRun", S.boolean("Report what would change without changing it.", default: false)),
            ("suspend", S.boolean("Stop reconciling (and drift correction) until set back to false.", default: false)),
            ("drift", S.object([
                ("mode", S.string("warn: a Warning event per drifted object; correct: re-apply it.", enum: ["warn", "correct"], default: "warn")),
                ("interval", S.string("How often drift is checked (30s, 5m, 1h).", default: "5m", pattern: "^([0-9]+(ms|s|m|h))+$")),
                ("ignore", S.driftIgnore),
                ("releases", S.map(override, description: "Per release: its own mode, ignore rules, or suspension.")),
            ])),
        ], required: ["config", "version"])
        let status = S.object([
            ("observedGeneration", S.integer),
            ("conditions", S.array(S.condition)),
            ("releases", S.array(releaseState)),
            ("appliedVersion", S.string("The platform version last applied.")),
            ("appliedRevision", S.string("The digest of the render last applied.")),
            ("lastReconcileTime", S.string(format: "date-time")),
            ("message", S.string("The Ready condition's message, for the MESSAGE column.")),
            ("plan", S.object([("create", S.integer), ("change", S.integer), ("unchanged", S.integer), ("prune", S.integer)],
                              description: "What a dry run found: objects to create, change, and prune.")),
            ("failures", S.integer),
        ])
        return S.definition(kind: kind, plural: plural, singular: "platform", shortNames: ["plat"], columns: [
            S.column("Version", "string", ".spec.version"),
            S.column("Ready", "string", ".status.conditions[?(@.type==\"Ready\")].status"),
            S.column("Message", "string", ".status.message"),
            S.column("Dry Run", "boolean", ".spec.dryRun"),
            S.column("Suspended", "boolean", ".spec.suspend"),
        ], spec: spec, status: status, labels: labels)
    }

    /// The resource for a config (`kiln render --export-cr`).
    public static func resource(name: String, version: String, config: JSONValue, labels: [String: String],
                                namespace: String = namespace) -> ManifestObject {
        ManifestObject(apiVersion: apiVersion, kind: kind, name: name, namespace: namespace, labels: labels, body: [
            // dryRun and suspend are left to the CRD's defaults: a field the applied resource sets is owned by its
            // applier, so `kiln suspend` and then `kiln bootstrap` again would conflict on spec.suspend.
            ("spec", .object([("version", .string(version)),
                              ("drift", .object([("mode", .string("warn")), ("interval", .string("5m"))])), ("config", config)])),
        ], release: "kiln-base")
    }
}
