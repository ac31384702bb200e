/// The reference's `images.json`: the platform version → the images of that version, each `{"name": "<ref>"}`
/// (the only field its docs show: `jq -r '.["<version>"][].name' images.json`). kiln adds `digest` once a lock knows
/// it, so a loader can push and check by digest.
public enum ImagesJSON {
    public static let fileName = "images.json"

    struct Entry: Encodable { let name: String; let digest: String? }

    /// Upstream names (what a loader pulls from the bundle and pushes), sorted, each once.
    public static func text(_ inventory: ImageInventory, lock: ImageLock? = nil) -> String {
        let sources = Set(inventory.images.map(\.source)).sorted()
        let entries = sources.map { Entry(name: $0.description, digest: ($0.digest ?? lock?.digest(for: $0))?.description) }
        return BundleJSON.text([inventory.version: entries])
    }
}
