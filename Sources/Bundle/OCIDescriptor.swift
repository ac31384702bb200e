/// An OCI content descriptor: what `index.json` lists and manifests point with.
public struct OCIDescriptor: Sendable, Hashable, Codable {
    public static let imageManifest = "application/vnd.oci.image.manifest.v1+json"
    public static let imageIndex = "application/vnd.oci.image.index.v1+json"
    public static let dockerManifest = "application/vnd.docker.distribution.manifest.v2+json"
    public static let dockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json"

    public let mediaType: String
    public let digest: String
    public let size: Int64
    public var annotations: [String: String]?

    public init(mediaType: String, digest: Digest, size: Int64, annotations: [String: String]? = nil) {
        self.mediaType = mediaType
        self.digest = digest.description
        self.size = size
        self.annotations = annotations
    }
}
