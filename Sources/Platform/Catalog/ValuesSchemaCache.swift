import Foundation
import Schema

/// Compiled values schemas, each compiled the first time a config overrides that release's chart values.
final class ValuesSchemaCache: @unchecked Sendable {
    static let shared = ValuesSchemaCache()

    private let lock = NSLock()
    private var compiled: [String: JSONSchema] = [:]

    func schema(for release: Release) throws -> JSONSchema {
        lock.lock()
        defer { lock.unlock() }
        if let hit = compiled[release.name] { return hit }
        let schema = try JSONSchema(text: release.valuesSchema)
        compiled[release.name] = schema
        return schema
    }
}
