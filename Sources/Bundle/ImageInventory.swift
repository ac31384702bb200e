import Config
import Manifests
import Platform

/// One place an image is used.
public struct ImageUse: Sendable, Hashable, Comparable, Codable {
    public let release: String
    /// `kind/namespace/name`.
    public let object: String
    /// `container nucleus-frontend`, `data executor`.
    public let field: String

    public static func < (a: ImageUse, b: ImageUse) -> Bool {
        (a.release, a.object, a.field) < (b.release, b.object, b.field)
    }
}

/// One image of the inventory: as the cluster pulls it, where it comes from, and every place the render uses it.
public struct InventoryImage: Sendable {
    /// As the rendered objects name it (the private registry's name when the config is offline).
    public let reference: ImageReference
    /// As the catalog names it, upstream: what a bundle pulls and what a lock is keyed by. The same as `reference` for
    /// an online config.
    public let source: ImageReference
    /// Sorted.
    public let uses: [ImageUse]
    /// `source` as the catalog spells it (`nginx:1.27` rather than `docker.io/library/nginx:1.27`): what the render's
    /// private-registry rewrite starts from, so `bundle push` keeps it.
    public let sourceText: String

    public init(reference: ImageReference, source: ImageReference, uses: [ImageUse] = [], sourceText: String? = nil) {
        self.reference = reference
        self.source = source
        self.uses = uses
        self.sourceText = sourceText ?? source.description
    }

    /// The releases that run it, sorted, each once.
    public var releases: [String] { Array(Set(uses.map(\.release))).sorted() }
}

/// Every image the platform runs for a config and version, deduplicated and sorted by reference.
public struct ImageInventory: Sendable {
    public let version: String
    public let images: [InventoryImage]

    public init(version: String, images: [InventoryImage]) {
        self.version = version
        self.images = images
    }

    /// Renders the config and collects its images. Secret values play no part in which images run, so the render
    /// gets blanks for them: `kiln images` needs none of the variables `kiln render` does.
    public static func of(_ config: ConfigView, profile: SizingProfile? = nil) throws -> ImageInventory {
        let log = ImageLog()
        let rewrite = ImageRewrite { upstream, pulled in
            log.saw(pulled: pulled, upstream: upstream)
            return pulled
        }
        let blanks = SecretValues(variable: { _ in "" }, readFile: { _ in "" })
        let result = PlatformRenderer.render(config, secrets: blanks, profile: profile, images: rewrite)
        return try of(result, version: config.string(.version) ?? PlatformVersion.supported.last!, sources: log.sources)
    }

    /// The images of a render. `sources` maps a pulled reference to its upstream one (what the render's image hook
    /// saw); an image not in it is its own source.
    public static func of(_ result: RenderResult, version: String, sources: [String: String] = [:]) throws -> ImageInventory {
        var uses: [String: Set<ImageUse>] = [:]
        for object in result.objects {
            for site in ImageSites.of(object) {
                uses[site.image, default: []].insert(ImageUse(release: site.release, object: site.object, field: site.field))
            }
        }
        // Two spellings of one image (`nginx` and `docker.io/library/nginx:latest`) are one entry.
        var byReference: [ImageReference: (source: ImageReference, text: String, uses: Set<ImageUse>)] = [:]
        for (text, found) in uses.sorted(by: { $0.key < $1.key }) {
            let reference = try ImageReference(parsing: text)
            let source = try sources[text].map(ImageReference.init(parsing:)) ?? reference
            byReference[reference, default: (source, sources[text] ?? text, [])].uses.formUnion(found)
        }
        let images = byReference.map {
            InventoryImage(reference: $0.key, source: $0.value.source, uses: $0.value.uses.sorted(), sourceText: $0.value.text)
        }
            .sorted { $0.reference < $1.reference }
        return ImageInventory(version: version, images: images)
    }
}
