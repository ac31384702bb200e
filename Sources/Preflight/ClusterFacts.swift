import Foundation
import Kube
import Schema

/// A fact read from the cluster, or why it could not be read (a 403 on nodes is a finding, not a crash).
public enum Fact<T: Sendable>: Sendable {
    case known(T)
    case unreadable(String)

    public var value: T? { if case .known(let value) = self { return value } else { return nil } }

    /// The finding a rule gives when it cannot see what it needs.
    var unreadableFinding: Finding? {
        guard case .unreadable(let why) = self else { return nil }
        return .warn("could not read it: \(why)", "grant the user read access, or check by hand")
    }
}

/// Everything the rules judge, read from the cluster once, before any rule runs.
public struct ClusterFacts: Sendable {
    public var version: ServerVersion
    public var nodes: Fact<[JSONValue]> = .known([])
    public var storageClasses: Fact<[JSONValue]> = .known([])
    public var csiDrivers: Fact<[JSONValue]> = .known([])
    /// DaemonSets in kube-system: where the CNI runs.
    public var systemDaemonSets: Fact<[JSONValue]> = .known([])
    public var namespaces: Fact<[JSONValue]> = .known([])
    public var crds: Fact<[JSONValue]> = .known([])
    /// `apiVersion kind` of every rendered kind the server does not serve.
    public var unservedKinds: [String] = []
    /// What SelfSubjectAccessReview refused, as `verb resource.group [in namespace]`.
    public var deniedAccess: Fact<[String]> = .known([])
    /// Only when the registry rule runs: each image and whether the registry holds it.
    public var images: [ImageProbe] = []

    public init(version: ServerVersion) { self.version = version }

    /// One image looked up in the private registry.
    public struct ImageProbe: Sendable, Equatable {
        public let image: String
        /// nil when it is there; else why not.
        public let problem: String?

        public init(image: String, problem: String?) {
            self.image = image
            self.problem = problem
        }
    }

    /// Reads a list, keeping a refusal as the fact's reason; an unreachable cluster is thrown.
    static func read(_ client: KubeClient, _ apiVersion: String, _ kind: String, namespace: String? = nil) async throws -> Fact<[JSONValue]> {
        do {
            return .known(try await client.list(apiVersion: apiVersion, kind: kind, namespace: namespace))
        } catch let error as KubeError where !error.isUnavailable && error.status != 401 {
            return .unreadable(error.status == 403 ? "the user may not list \(kind) objects (HTTP 403)" : error.message)
        }
    }
}
