import Config
import Foundation
import Kube
import Manifests
import Schema

/// Reads the Kubernetes Secrets a config refers to (`${secret:NAME/KEY}`) from the operator's namespace before
/// rendering, so the render (which is synchronous) finds their values. Values never leave this type but into the
/// render; what is missing is named by Secret and key only.
struct SecretResolver {
    let client: KubeClient
    let namespace: String

    struct Missing: Error, CustomStringConvertible {
        let problems: [String]
        var description: String { problems.joined(separator: "; ") }
    }

    /// Every `${secret:NAME/KEY}` in the config, in order of first appearance.
    static func references(in value: JSONValue) -> [(name: String, key: String)] {
        var found: [(name: String, key: String)] = []
        var seen = Set<String>()
        func walk(_ value: JSONValue) {
            switch value {
            case .string(let text):
                if let ref = ValueReference.secret(text), seen.insert("\(ref.name)/\(ref.key)").inserted { found.append(ref) }
            case .array(let items): items.forEach(walk)
            case .object(let members): members.forEach { walk($0.1) }
            default: break
            }
        }
        walk(value)
        return found
    }

    /// The values of every reference, or `Missing` naming each Secret or key that is not there.
    func values(for config: JSONValue) async throws -> [String: String] {
        var values: [String: String] = [:]
        var problems: [String] = []
        var secrets: [String: JSONValue?] = [:]
        for (name, key) in Self.references(in: config) {
            if secrets[name] == nil {
                secrets[name] = .some(try await client.get(ObjectReference(apiVersion: "v1", kind: "Secret", namespace: namespace, name: name)))
            }
            guard let secret = secrets[name] ?? nil else {
                problems.append("Secret \(namespace)/\(name) (for ${secret:\(name)/\(key)}) does not exist")
                continue
            }
            if let encoded = secret["data"]?[key]?.stringValue, let data = Data(base64Encoded: encoded) {
                values["\(name)/\(key)"] = String(decoding: data, as: UTF8.self)
            } else if let plain = secret["stringData"]?[key]?.stringValue {
                values["\(name)/\(key)"] = plain
            } else {
                problems.append("Secret \(namespace)/\(name) has no key \(key) (for ${secret:\(name)/\(key)})")
            }
        }
        if !problems.isEmpty { throw Missing(problems: problems) }
        return values
    }
}
