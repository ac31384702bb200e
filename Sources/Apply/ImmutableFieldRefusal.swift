import Foundation
import Kube

/// An apply the API server refused because it would change a field that cannot change after creation: a
/// StorageClass's parameters, a StatefulSet's claim templates, a Job's template, a Service's clusterIP, a Deployment's
/// selector. The only way to such a change is to delete and recreate the object (`kiln apply --force`, as Flux's
/// `force: true` does), which kiln never does to what holds data (`KindRules`).
struct ImmutableFieldRefusal: Sendable, Equatable {
    /// The fields the server named (`parameters`, `spec.selector`).
    let fields: [String]
    let message: String

    /// The refusal in a 422 Invalid, when it is about immutability: the apiserver words it `field is immutable`,
    /// `Forbidden: updates to parameters are forbidden`, or `updates to statefulset spec for fields other than … are
    /// forbidden`.
    init?(_ error: KubeError) {
        guard error.status == 422 else { return nil }
        let text = error.message
        guard text.contains("immutable") || text.range(of: "Forbidden: updates to") != nil
                || text.range(of: "forbidden", options: .caseInsensitive) != nil && text.contains("updates to") else { return nil }
        message = text
        fields = Self.fields(in: text)
    }

    /// `… is invalid: parameters: Forbidden: …` or `… is invalid: [spec.selector: Invalid value: …, spec.template: …]`.
    static func fields(in message: String) -> [String] {
        guard let marker = message.range(of: "is invalid: ") else { return [] }
        var rest = message[marker.upperBound...]
        if rest.hasPrefix("[") { rest = rest.dropFirst().prefix { $0 != "]" } }
        var found: [String] = []
        for part in rest.components(separatedBy: ", ") {
            guard let colon = part.range(of: ": ") else { continue }
            let field = String(part[..<colon.lowerBound])
            if !field.isEmpty, !field.contains(" "), !found.contains(field) { found.append(field) }
        }
        return found
    }

    var fieldList: String { fields.isEmpty ? "a field that cannot change" : fields.joined(separator: ", ") }
}
