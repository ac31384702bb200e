import Foundation
import Kube
import Schema

/// Whether applying an object would change nothing, decided from the live object alone, so an unchanged re-apply
/// costs one GET and no write. It is unchanged when kiln's own `Apply` entry in `managedFields` owns exactly the fields
/// the rendered object sets (so the apply removes nothing) and every rendered value equals the live one. Anything
/// uncertain (a quantity the server rewrote, `stringData` the server folded into `data`, another API version) reads
/// as changed: the apply then goes to the server, which is always right.
enum UnchangedCheck {
    static func wouldNotChange(_ rendered: JSONValue, live: JSONValue, manager: String = KubeClient.fieldManager) -> Bool {
        let kind = rendered["kind"]?.stringValue ?? ""
        guard let entry = ManagedFieldsEntry.entries(of: live).first(where: { $0.isEntry(of: manager, .apply, subresource: nil) }),
              entry.apiVersion == rendered["apiVersion"]?.stringValue else { return false }
        let folded = foldingStringData(rendered)
        let owned = FieldSet(of: rendered, kind: kind), ownedFolded = FieldSet(of: folded, kind: kind)
        guard entry.fields == owned || entry.fields == ownedFolded else { return false }
        return ownedFolded.leafValues(in: folded).allSatisfy { path, value in FieldSet.value(at: path, in: live) == value }
    }

    /// A Secret's `stringData` as the base64 `data` the server stores it as.
    static func foldingStringData(_ object: JSONValue) -> JSONValue {
        guard object["kind"]?.stringValue == "Secret", case .object(var members) = object,
              let stringData = object["stringData"]?.objectValue else { return object }
        members.removeAll { $0.0 == "stringData" }
        var data = object["data"]?.objectValue ?? []
        members.removeAll { $0.0 == "data" }
        // As the API server folds it: a `stringData` key overwrites the same key of `data`.
        for (key, value) in stringData {
            data.removeAll { $0.0 == key }
            data.append((key, .string(Data((value.stringValue ?? "").utf8).base64EncodedString())))
        }
        members.append(("data", .object(data)))
        return .object(members)
    }
}
