import ArgumentParser
import Bundle
import Config
import Foundation
import Platform

struct ImagesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "images",
        abstract: "List every image the platform runs for a config: services, sidecars and execution images.",
        discussion: """
            The images come from the render itself: every container and init container of every workload, and the \
            images the platform starts later, which it reads from ConfigMaps (the execution images in \
            domino-execution-images, the model sidecars named by central-config records). Each is listed once, sorted, \
            with the releases that use it; --format json adds where exactly (object and container or key) and, for an \
            offline config, the upstream image it is copied from. No secret values are needed.

            --images-json FILE writes the reference's images.json ({"<version>": [{"name": "<ref>"}, …]}, upstream \
            names), with each image's digest when --lock LOCK knows it. The lock is what `kiln bundle create` writes \
            (kiln-images.lock.json); `kiln render --pin-digests LOCK` renders by digest from it.
            """
    )

    @Argument(help: "The config.")
    var file: String

    @Option(help: ArgumentHelp("Write the reference's images.json here.", valueName: "file"))
    var imagesJson: String?

    @Option(help: ArgumentHelp("Digests from this lock file (for the DIGEST column and images.json).", valueName: "lock"))
    var lock: String?

    @Option(help: ArgumentHelp("Size for this profile instead of the config's.", valueName: "profile"))
    var profile: String?

    @OptionGroup var layers: LayerOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if let profile, SizingProfile.named(profile) == nil { throw ValidationError("unknown profile \(profile)") }
    }

    struct ImageOutput: Encodable {
        let name: String
        let source: String
        let digest: String?
        let releases: [String]
        let uses: [ImageUse]
    }

    func run() throws {
        let config = try validConfig(layers.request(file), color: output.color.enabled)
        let lock = try self.lock.map(readLock)
        let inventory: ImageInventory
        do { inventory = try ImageInventory.of(config, profile: profile.flatMap(SizingProfile.named)) } catch {
            printError("\(error)")
            throw ExitCode(1)
        }
        if let imagesJson {
            do { try FileOutput.write(ImagesJSON.text(inventory, lock: lock), to: imagesJson, overwrite: true) } catch {
                printError("\(error)")
                throw ExitCode(1)
            }
        }
        func digest(_ image: InventoryImage) -> String? {
            (image.reference.digest ?? image.source.digest ?? lock?.digest(for: image.source))?.description
        }
        if output.format == .json {
            printJSON(["version": AnyEncodable(inventory.version), "images": AnyEncodable(inventory.images.map {
                ImageOutput(name: $0.reference.description, source: $0.source.description, digest: digest($0), releases: $0.releases, uses: $0.uses)
            })])
            return
        }
        let offline = inventory.images.contains { $0.source != $0.reference }
        var header = ["IMAGE", "RELEASES"]
        if offline { header.insert("SOURCE", at: 1) }
        if lock != nil { header.insert("DIGEST", at: 1) }
        let rows = inventory.images.map { image -> [String] in
            var row = [image.reference.description, image.releases.joined(separator: ",")]
            if offline { row.insert(image.source.description, at: 1) }
            if lock != nil { row.insert(digest(image) ?? "-", at: 1) }
            return row
        }
        print(table(header, rows))
        if let imagesJson { print("wrote \(imagesJson) (\(Set(inventory.images.map(\.source)).count) images)") }
    }
}

/// Reads a lock file for a command; a bad one is an error naming the file and the entry (exit 1).
func readLock(_ path: String) throws -> ImageLock {
    do { return try ImageLock.read(path) } catch {
        printError("\(error)")
        throw ExitCode(1)
    }
}

/// Lets one JSON object mix value types (a version string beside a list).
struct AnyEncodable: Encodable {
    let encodeValue: (Encoder) throws -> Void
    init<T: Encodable>(_ value: T) { encodeValue = value.encode }
    func encode(to encoder: Encoder) throws { try encodeValue(encoder) }
}
