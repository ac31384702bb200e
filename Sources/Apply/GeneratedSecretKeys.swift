import Foundation
import Kube
import Manifests
import Schema

/// The values of the Secrets the render holds without them (`kiln.dev/generated-keys`: Keycloak's, Grafana's and the
/// admin toolkit's passwords). Each key is generated once, after kiln's apply of the Secret, and never again: it is
/// written by its own field manager with a merge patch conditional on the Secret's resourceVersion, so kiln's later
/// server-side applies (which own no `data`) leave it alone, a key an admin set first is kept, and two appliers racing
/// generate one value between them. Values are never logged, printed or returned.
enum GeneratedSecretKeys {
    static let fieldManager = "kiln-secret-generator"
    /// 32 characters of [A-Za-z0-9]: about 190 bits, and no character a shell, URL or config file would need quoted.
    static let length = 32
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)

    /// The keys `object` asks for, in order; empty for anything else.
    static func requested(by object: ManifestObject) -> [String] {
        guard object.kind == "Secret", let list = object.annotations[ConfigSecrets.generatedKeysAnnotation] else { return [] }
        return list.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Keys of `requested` that `live` holds no value for.
    static func missing(_ requested: [String], in live: JSONValue?) -> [String] {
        let data = live?["data"]
        return requested.filter { key in (data?[key]?.stringValue ?? "").isEmpty }
    }

    /// Fills the missing keys of the Secret `ref` (as `live` shows it); the keys generated. Re-reads and tries again
    /// (at most three times) when another writer changed the Secret in between.
    static func fill(_ ref: ObjectReference, keys: [String], live: JSONValue?, client: KubeClient) async throws -> [String] {
        var current = live
        for _ in 0..<3 {
            let needed = missing(keys, in: current)
            guard !needed.isEmpty else { return [] }
            guard let version = current?["metadata"]?["resourceVersion"]?.stringValue else {
                current = try await client.get(ref)
                continue
            }
            let data = JSONValue.object(needed.map { ($0, .string(Data(generate().utf8).base64EncodedString())) })
            let patch = JSONValue.object([("metadata", .object([("resourceVersion", .string(version))])), ("data", data)])
            do {
                _ = try await client.patch(ref, type: .merge, body: Array(patch.jsonText.utf8), fieldManager: fieldManager)
                return needed
            } catch let error as KubeError where error.status == 409 {
                current = try await client.get(ref)
            }
        }
        throw ApplyFailure(object: ref.description, reason: "could not generate \(keys.joined(separator: ", ")): the Secret kept changing",
                           details: ["another writer updated it three times while kiln generated its values; apply again"])
    }

    /// A fresh value from the system's cryptographic generator (getrandom on Linux), uniform over the alphabet.
    static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        return String(decoding: (0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }, as: UTF8.self)
    }
}
