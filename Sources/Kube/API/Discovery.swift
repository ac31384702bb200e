/// What discovery learnt, for a client's life. An actor, and each fetch is a shared task, so concurrent first
/// lookups of one group version (parallel apply asks for `apps/v1` from many tasks at once) make one request.
public actor Discovery {
    public struct APIResource: Sendable, Equatable {
        public let name: String
        public let namespaced: Bool

        public init(name: String, namespaced: Bool) {
            self.name = name
            self.namespaced = namespaced
        }
    }

    private var groupVersions: [String: Task<[String: APIResource], Error>] = [:]
    private var preferred: Task<[String: String], Error>?

    /// The resources of `apiVersion` by kind, fetched by `fetch` on the first call; a failed fetch is not kept.
    func resources(_ apiVersion: String, fetch: @escaping @Sendable () async throws -> [String: APIResource]) async throws
        -> [String: APIResource] {
        let task = groupVersions[apiVersion] ?? Task { try await fetch() }
        groupVersions[apiVersion] = task
        do {
            return try await task.value
        } catch {
            if groupVersions[apiVersion] == task { groupVersions[apiVersion] = nil }
            throw error
        }
    }

    /// Group → preferred version, fetched by `fetch` on the first call; a failed fetch is not kept.
    func preferredVersions(fetch: @escaping @Sendable () async throws -> [String: String]) async throws -> [String: String] {
        let task = preferred ?? Task { try await fetch() }
        preferred = task
        do {
            return try await task.value
        } catch {
            if preferred == task { preferred = nil }
            throw error
        }
    }
}
