import Kube
import Apply
import Schema

/// Asks the server, one SelfSubjectAccessReview per verb, resource and namespace, what kiln may not do.
struct AccessReview {
    let client: KubeClient
    let concurrency: Int

    /// What apply, prune and recreate use: get and list (snapshots, waits, prune), create and patch (server-side
    /// apply creates and updates), delete (prune, `--force`).
    static let verbs = ["get", "list", "create", "patch", "delete"]

    struct Question: Hashable, Sendable {
        let verb: String
        let group: String
        let resource: String
        let namespace: String?
        var description: String { "\(verb) \(group.isEmpty ? resource : "\(resource).\(group)")\(namespace.map { " in \($0)" } ?? "")" }
    }

    /// `verb resource.group in namespace` for every refused question, in a fixed order. Kinds the server does not
    /// serve are left to the api-groups rule (their CRD may come with the render).
    func denied(_ kinds: RenderedKinds, served unserved: [String]) async throws -> Fact<[String]> {
        var questions: [Question] = []
        for kind in kinds.all where !unserved.contains("\(kind.apiVersion) \(kind.kind)") {
            guard let resource = try? await client.resource(apiVersion: kind.apiVersion, kind: kind.kind) else { continue }
            let scopes: [String?] = resource.namespaced ? (kinds.namespaces[kind] ?? []).map { $0 } : [nil]
            for namespace in scopes {
                for verb in Self.verbs { questions.append(Question(verb: verb, group: kind.group, resource: resource.name, namespace: namespace)) }
            }
        }
        do {
            let answers = try await ResourceManager.concurrently(questions, limit: concurrency) { question in
                (question, try await self.allowed(question))
            }
            return .known(answers.filter { !$0.1 }.map { $0.0.description })
        } catch let error as KubeError where error.status == 404 || error.status == 403 {
            return .unreadable(error.message)
        }
    }

    func allowed(_ question: Question) async throws -> Bool {
        var attributes: [(String, JSONValue)] = [("verb", .string(question.verb)), ("group", .string(question.group)),
                                                 ("resource", .string(question.resource))]
        if let namespace = question.namespace { attributes.append(("namespace", .string(namespace))) }
        let review: JSONValue = .object([("apiVersion", .string("authorization.k8s.io/v1")), ("kind", .string("SelfSubjectAccessReview")),
                                         ("spec", .object([("resourceAttributes", .object(attributes))]))])
        return try await client.create(review)["status"]?["allowed"]?.boolValue ?? false
    }
}
