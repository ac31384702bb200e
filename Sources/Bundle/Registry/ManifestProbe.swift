import Kube

extension RegistrySession {
    /// Whether the registry holds `reference`'s manifest (`kiln preflight`'s offline check). A GET, not a HEAD: the
    /// transport's HEAD can wait for a body that never comes. The manifest is small and dropped at once.
    public func hasManifest(_ reference: ImageReference) async throws -> Bool {
        let endpoint = endpoint(reference.registry)
        let tagOrDigest = reference.digest.map { "\($0)" } ?? reference.tag ?? "latest"
        let subject = "manifest \(reference)"
        let request = HTTPRequest("GET", endpoint.url(reference.repository, "manifests", tagOrDigest),
                                  headers: [("Accept", ManifestDocument.acceptedTypes.joined(separator: ", "))], timeout: options.timeout)
        let response = try await send(request, to: endpoint, scopes: ["repository:\(reference.repository):pull"], subject: subject)
        switch response.status {
        case 200: return true
        case 404: return false
        default: throw RegistryError.status(response, registry: endpoint.name, subject: subject, expected: "200")
        }
    }
}
