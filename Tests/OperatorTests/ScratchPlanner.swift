import Apply
import Config
import Manifests
import Operator
import Platform
import Schema

/// A small planner for the operator's scenarios, safe on a real cluster: everything lands in one namespace. Its
/// config lists releases, each a ConfigMap of `data`, optionally a Secret from `password` (a `${secret:…}`
/// reference, resolved as the real renderer resolves them) and a Deployment (`workload: true`):
///
///     {"namespace": "ns", "releases": [{"name": "alpha", "data": {"mode": "a"}, "password": "${secret:creds/password}", "workload": true}]}
struct ScratchPlanner: PlatformPlanner {
    func plan(_ platform: PlatformObject, secrets: SecretValues) throws -> PlatformPlan {
        let config = platform.config
        guard let namespace = config["namespace"]?.stringValue else {
            throw PlanFailure(reason: "ConfigInvalid", message: "namespace: required")
        }
        var objects: [ManifestObject] = []
        var releases: [String] = []
        var waves: [String: Int] = [:]
        for (index, release) in (config["releases"]?.arrayValue ?? []).enumerated() {
            let name = release["name"]?.stringValue ?? "release-\(index)"
            releases.append(name)
            waves[name] = index + 1
            let data = (release["data"]?.objectValue ?? []).map { ($0.0, $0.1.stringValue.map(JSONValue.string) ?? .string($0.1.jsonText)) }
            objects.append(ManifestObject(apiVersion: "v1", kind: "ConfigMap", name: "\(name)-settings", namespace: namespace,
                                          body: [("data", .object(data))], release: name))
            if let reference = release["password"]?.stringValue {
                let (value, problems) = secrets.value(of: reference, at: "releases.\(name).password")
                guard let value else {
                    throw PlanFailure(reason: "SecretMissing", message: problems.map(\.message).joined(separator: "; "))
                }
                objects.append(CoreObjects.secret("\(name)-credentials", namespace: namespace, type: "Opaque", stringData: ["password": value],
                                                  labels: [:], release: name))
            }
            if release["workload"]?.boolValue == true {
                objects.append(Self.deployment(name, namespace: namespace, mode: release["data"]?["mode"]?.stringValue ?? "kiln"))
            }
        }
        let result = RenderResult(objects: objects, releases: releases, waves: waves, dependencies: [:], diagnostics: [],
                                  platform: PlatformIdentity(name: platform.name, role: .controlPlane))
        return PlatformPlan(result: result, inventory: ApplySet(name: "kiln-applyset-\(platform.name)", namespace: namespace))
    }

    static func deployment(_ name: String, namespace: String, mode: String) -> ManifestObject {
        ManifestObject(apiVersion: "apps/v1", kind: "Deployment", name: name, namespace: namespace, body: [
            ("spec", .object([
                ("replicas", .number(1)),
                ("selector", .object([("matchLabels", .object([("app", .string(name))]))])),
                ("template", .object([
                    ("metadata", .object([("labels", .object([("app", .string(name))]))])),
                    ("spec", .object([("containers", .array([.object([
                        ("name", .string(name)), ("image", .string("registry.k8s.io/pause:3.9")),
                        ("env", .array([.object([("name", .string("MODE")), ("value", .string(mode))])])),
                    ])]))])),
                ])),
            ])),
        ], release: name)
    }
}
