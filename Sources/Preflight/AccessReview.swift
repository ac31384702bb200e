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

    /// `verb resource.group in namespace` for every refused question, in a fixed order. Each verb is asked once for
    /// all namespaces first (what a cluster admin has); only a refusal there is asked again per namespace the render
    /// uses, so an admin costs one review per verb and kind. Kinds the server does not serve are left to the
    /// api-groups rule (their CRD may come with the render).
    func denied(_ kinds: RenderedKinds, served unserved: [String]) async throws -> Fact<[String]> {
        var wide: [(Question, [String])] = []
        for kind in kinds.all where !unserved.contains("\(kind.apiVersion) \(kind.kind)") {
            guard let resource = try? await client.resource(apiVersion: kind.apiVersion, kind: kind.kind) else { continue }
            let namespaces = resource.namespaced ? kinds.namespaces[kind] ?? [] : []
            for verb in Self.verbs { wide.append((Question(verb: verb, group: kind.group, resource: resource.name, namespace: nil), namespaces)) }
        }
        do {
            let refusedWide = try await ask(wide.map(\.0)).filter { !$0.1 }.map(\.0)
            let narrow = wide.filter { refusedWide.contains($0.0) }.flatMap { question, namespaces -> [Question] in
                namespaces.isEmpty ? [question]
                    : namespaces.map { Question(verb: question.verb, group: question.group, resource: question.resource, namespace: $0) }
            }
            return .known(try await ask(narrow.filter { $0.namespace != nil }).filter { !$0.1 }.map(\.0.description)
                + narrow.filter { $0.namespace == nil }.map(\.description))
        } catch let error as KubeError where error.status == 404 || error.status == 403 {
            return .unreadable(error.message)
        }
    }

    private func ask(_ questions: [Question]) async throws -> [(Question, Bool)] {
        try await ResourceManager.concurrently(questions, limit: concurrency) { question in (question, try await self.allowed(question)) }
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
