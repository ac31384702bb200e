import Schema

/// One entry of `metadata.managedFields`: what one manager owns through one kind of operation. The API server keeps
/// a manager's `Apply` and `Update` entries (and its status subresource's) apart.
public struct ManagedFieldsEntry: Sendable, Equatable {
    public enum Operation: String, Sendable {
        case apply = "Apply"
        case update = "Update"
    }

    public var manager: String
    public var operation: Operation
    public var apiVersion: String
    /// RFC 3339, to the second.
    public var time: String
    /// `status` for writes through the status subresource; nil for the main resource.
    public var subresource: String?
    public var fields: FieldSet

    public init(manager: String, operation: Operation, apiVersion: String, time: String, subresource: String? = nil,
                fields: FieldSet) {
        self.manager = manager
        self.operation = operation
        self.apiVersion = apiVersion
        self.time = time
        self.subresource = subresource
        self.fields = fields
    }

    /// Whether this entry is the one `manager` writes with `operation` through `subresource`.
    public func isEntry(of manager: String, _ operation: Operation, subresource: String?) -> Bool {
        self.manager == manager && self.operation == operation && self.subresource == subresource
    }

    public init?(json: JSONValue) {
        guard let manager = json["manager"]?.stringValue,
              let operation = json["operation"]?.stringValue.flatMap(Operation.init(rawValue:)) else { return nil }
        self.init(manager: manager, operation: operation, apiVersion: json["apiVersion"]?.stringValue ?? "",
                  time: json["time"]?.stringValue ?? "", subresource: json["subresource"]?.stringValue,
                  fields: FieldSet(fieldsV1: json["fieldsV1"] ?? .object([])))
    }

    /// The entry as the API server writes it.
    public var json: JSONValue {
        var members: [(String, JSONValue)] = [("manager", .string(manager)), ("operation", .string(operation.rawValue)),
                                              ("apiVersion", .string(apiVersion)), ("time", .string(time)),
                                              ("fieldsType", .string("FieldsV1")), ("fieldsV1", fields.fieldsV1)]
        if let subresource { members.append(("subresource", .string(subresource))) }
        return .object(members)
    }

    /// The entries of an object's `metadata.managedFields`.
    public static func entries(of object: JSONValue?) -> [ManagedFieldsEntry] {
        object?["metadata"]?["managedFields"]?.arrayValue?.compactMap(ManagedFieldsEntry.init(json:)) ?? []
    }
}
