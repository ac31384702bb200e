import Schema

extension KubeClient {
    /// A JSON patch (RFC 6902, `application/json-patch+json`) of one object as field manager `manager`: the way to
    /// remove list entries another manager owns (an apply cannot: it only removes what its manager owned). A failed
    /// `test` operation is a 422 from the server; nothing is changed then.
    public func jsonPatch(_ ref: ObjectReference, _ operations: [JSONValue], manager: String = KubeClient.fieldManager,
                          dryRun: Bool = false) async throws -> JSONValue {
        var path = try await path(ref) + "?fieldManager=\(manager)"
        if dryRun { path += "&dryRun=All" }
        let response = try await request("PATCH", path, object: ref, body: Array(JSONValue.array(operations).jsonText.utf8),
                                         contentType: "application/json-patch+json")
        try check(response, ref)
        return try JSONReader.parse(response.text)
    }
}
