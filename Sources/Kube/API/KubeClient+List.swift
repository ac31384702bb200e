import Schema

/// A list response: its items and the collection's resourceVersion, from which a watch continues.
public struct ObjectList: Sendable {
    public var items: [JSONValue]
    public var resourceVersion: String

    public init(items: [JSONValue], resourceVersion: String) {
        self.items = items
        self.resourceVersion = resourceVersion
    }
}

extension KubeClient {
    /// Objects of a kind with the list's `metadata.resourceVersion`, in one namespace (or all when nil), matching a
    /// label selector (`a=b,c!=d`).
    public func listObjects(apiVersion: String, kind: String, namespace: String?, labelSelector: String? = nil) async throws
        -> ObjectList {
        var path = try await collectionPath(apiVersion: apiVersion, kind: kind, namespace: namespace)
        if let labelSelector { path += "?labelSelector=\(Self.escape(labelSelector))" }
        let response = try await request("GET", path, object: nil)
        try check(response, nil)
        let list = try JSONReader.parse(response.text)
        return ObjectList(items: list["items"]?.arrayValue ?? [], resourceVersion: list["metadata"]?["resourceVersion"]?.stringValue ?? "")
    }
}
