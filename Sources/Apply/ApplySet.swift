import CCrypto
import Foundation
import Kube
import Manifests
import Schema

/// kiln's inventory, in the Kubernetes ApplySet convention (KEP-3659), so `kubectl` understands it: a parent
/// Secret in the system namespace carrying the set's id, the tooling and the group-kinds it contains; every member
/// labelled `applyset.kubernetes.io/part-of: <id>`.
public struct ApplySet: Sendable {
    public static let partOfLabel = "applyset.kubernetes.io/part-of"
    public static let idLabel = "applyset.kubernetes.io/id"
    public static let toolingAnnotation = "applyset.kubernetes.io/tooling"
    public static let groupKindsAnnotation = "applyset.kubernetes.io/contains-group-kinds"
    public static let namespacesAnnotation = "applyset.kubernetes.io/additional-namespaces"
    /// Which platform the set is (kiln's own keys): a set records one platform, and apply refuses another over it.
    public static let platformAnnotation = "kiln.dev/platform"
    public static let platformRoleAnnotation = "kiln.dev/platform-role"

    public let name: String
    public let namespace: String

    public init(name: String = "kiln-applyset", namespace: String) {
        self.name = name
        self.namespace = namespace
    }

    /// `applyset-<base64url(sha256(<name>.<namespace>.<kind>.<group>))>-v1`, as the KEP defines it.
    public var id: String {
        let input = Array("\(name).\(namespace).Secret.".utf8)
        var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        SHA256(input, input.count, &digest)
        let encoded = Data(digest).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return "applyset-\(encoded)-v1"
    }

    public var parentReference: ObjectReference {
        ObjectReference(apiVersion: "v1", kind: "Secret", namespace: namespace, name: name)
    }

    /// `Deployment.apps`, `Namespace`: the form the contains-group-kinds annotation uses.
    public static func groupKind(apiVersion: String, kind: String) -> String {
        let group = apiVersion.contains("/") ? String(apiVersion.split(separator: "/")[0]) : ""
        return group.isEmpty ? kind : "\(kind).\(group)"
    }

    /// The kind and group of a `Kind.group` entry.
    public static func split(groupKind: String) -> (kind: String, group: String) {
        let parts = groupKind.split(separator: ".", maxSplits: 1).map(String.init)
        return (parts[0], parts.count > 1 ? parts[1] : "")
    }

    /// What a set holds, as its parent records it: the group-kinds of its members and the namespaces they live in.
    public struct Contents: Sendable, Equatable {
        public var groupKinds: Set<String> = []
        public var namespaces: Set<String> = []

        public init(groupKinds: Set<String> = [], namespaces: Set<String> = []) {
            self.groupKinds = groupKinds
            self.namespaces = namespaces
        }

        /// What a render puts in the set.
        public init(_ result: RenderResult) {
            self.init(groupKinds: Set(result.objects.map { ApplySet.groupKind(apiVersion: $0.apiVersion, kind: $0.kind) }),
                      namespaces: Set(result.objects.compactMap(\.namespace)))
        }

        public func union(_ other: Contents) -> Contents {
            Contents(groupKinds: groupKinds.union(other.groupKinds), namespaces: namespaces.union(other.namespaces))
        }
    }

    /// The parent Secret, listing what the set holds (and, when known, which platform it is).
    func parent(_ contents: Contents, tooling: String, platform: PlatformIdentity? = nil) -> JSONValue {
        var annotations: [(String, JSONValue)] = [
            (Self.namespacesAnnotation, .string(contents.namespaces.subtracting([namespace]).sorted().joined(separator: ","))),
            (Self.groupKindsAnnotation, .string(contents.groupKinds.sorted().joined(separator: ","))),
            (Self.toolingAnnotation, .string(tooling)),
        ]
        if let platform {
            annotations += [(Self.platformAnnotation, .string(platform.name)), (Self.platformRoleAnnotation, .string(platform.role.rawValue))]
        }
        return .object([
            ("apiVersion", .string("v1")), ("kind", .string("Secret")),
            ("metadata", .object([
                ("name", .string(name)), ("namespace", .string(namespace)),
                ("labels", .object([(Self.idLabel, .string(id))])),
                ("annotations", .object(annotations)),
            ])),
            ("type", .string("Opaque")),
        ])
    }

    /// The platform the live parent records; nil for a set written before kiln recorded it, or none yet.
    func recordedPlatform(_ live: JSONValue?) -> PlatformIdentity? {
        let annotations = live?["metadata"]?["annotations"]
        guard let name = annotations?[Self.platformAnnotation]?.stringValue,
              let role = annotations?[Self.platformRoleAnnotation]?.stringValue.flatMap(PlatformIdentity.Role.init(rawValue:)) else { return nil }
        return PlatformIdentity(name: name, role: role)
    }

    /// What the live parent records (empty when there is none yet).
    func recorded(_ live: JSONValue?) -> Contents {
        let annotations = live?["metadata"]?["annotations"]
        func set(_ key: String) -> Set<String> {
            Set((annotations?[key]?.stringValue ?? "").split(separator: ",").map(String.init).filter { !$0.isEmpty })
        }
        return Contents(groupKinds: set(Self.groupKindsAnnotation), namespaces: set(Self.namespacesAnnotation).union([namespace]))
    }
}
