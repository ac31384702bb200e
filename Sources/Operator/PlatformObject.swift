import Apply
import Config
import Foundation
import Kube
import Manifests
import Schema

/// A `Platform` resource as the operator reads it: identity, the spec's switches, and what makes a change material.
public struct PlatformObject: Sendable {
    public let json: JSONValue
    public let name: String
    public let namespace: String
    public let uid: String
    public let generation: Int
    public let config: JSONValue
    public let version: String
    public let dryRun: Bool
    public let suspend: Bool
    public let drift: DriftPolicy
    /// `kiln.dev/reconcile-requested-at`: a new value asks for a reconcile now.
    public let requestedAt: String?

    public init(_ json: JSONValue) {
        self.json = json
        let metadata = json["metadata"]
        name = metadata?["name"]?.stringValue ?? ""
        namespace = metadata?["namespace"]?.stringValue ?? ""
        uid = metadata?["uid"]?.stringValue ?? ""
        generation = Int(metadata?["generation"]?.numberValue ?? 0)
        let spec = json["spec"]
        config = spec?["config"] ?? .object([])
        version = spec?["version"]?.stringValue ?? ""
        dryRun = spec?["dryRun"]?.boolValue ?? false
        suspend = spec?["suspend"]?.boolValue ?? false
        drift = DriftPolicy(spec?["drift"])
        requestedAt = metadata?["annotations"]?[PlatformResource.reconcileRequestedAnnotation]?.stringValue
    }

    public var reference: ObjectReference {
        ObjectReference(apiVersion: PlatformResource.apiVersion, kind: PlatformResource.kind, namespace: namespace, name: name)
    }

    /// What a reconcile answers to: the object (uid), its spec (generation, and the spec's content, so a resource
    /// deleted and created again with the same generation still counts), and a requested reconcile. Status and
    /// metadata updates — the operator's own status writes among them — leave it alone.
    public var fingerprint: String {
        "\(uid)|\(generation)|\(Digest.hex(Normalize.forComparison(json["spec"] ?? .null).jsonText))|\(requestedAt ?? "")"
    }

    /// The `status.observedGeneration` the resource reports.
    public var observedGeneration: Int? { json["status"]?["observedGeneration"]?.numberValue.map { Int($0) } }
}

/// `spec.drift`: how often drift is checked, warn or correct, and what to leave alone — per release where the
/// Platform says so.
public struct DriftPolicy: Sendable, Equatable {
    public enum Mode: String, Sendable { case warn, correct }

    public struct Override: Sendable, Equatable {
        public var mode: Mode?
        public var ignore: [String]
        public var suspend: Bool
    }

    public var mode: Mode
    /// Seconds between checks.
    public var interval: Double
    public var ignore: [String]
    public var releases: [String: Override]

    public static let defaultInterval = 300.0

    public init(_ json: JSONValue?) {
        mode = json?["mode"]?.stringValue.flatMap(Mode.init(rawValue:)) ?? .warn
        interval = json?["interval"]?.stringValue.flatMap(DurationText.seconds).flatMap { $0 > 0 ? $0 : nil } ?? Self.defaultInterval
        ignore = json?["ignore"]?.arrayValue?.compactMap(\.stringValue) ?? []
        var releases: [String: Override] = [:]
        for (name, value) in json?["releases"]?.objectValue ?? [] {
            releases[name] = Override(mode: value["mode"]?.stringValue.flatMap(Mode.init(rawValue:)),
                                      ignore: value["ignore"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                                      suspend: value["suspend"]?.boolValue ?? false)
        }
        self.releases = releases
    }

    public func mode(for release: String) -> Mode { releases[release]?.mode ?? mode }

    public func ignore(for release: String) -> [DriftIgnore] {
        (ignore + (releases[release]?.ignore ?? [])).compactMap(DriftIgnore.init(parsing:))
    }
}

/// A short, stable digest (FNV-1a, 64 bits) for fingerprints and revisions: identity, not security.
enum Digest {
    static func hex(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
