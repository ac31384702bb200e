/// kiln's own version, printed by `kiln version`.
public enum KilnVersion {
    public static let current = "0.1.0"

    /// kiln's own image: what `kiln bootstrap` runs the operator from, and the name `kiln bundle create` gives the
    /// image it builds of kiln, so that `kiln bundle push REGISTRY` puts it where `kiln bootstrap --image-registry
    /// REGISTRY` looks for it (`REGISTRY/kiln/kiln:<version>`).
    public static let imageRepository = (registry: "quay.io", repository: "kiln/kiln")

    public static func image(_ version: String = current) -> String {
        "\(imageRepository.registry)/\(imageRepository.repository):\(version)"
    }
}
