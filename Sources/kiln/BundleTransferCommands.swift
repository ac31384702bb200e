import ArgumentParser
import Bundle
import Config
import Foundation

/// Options every command that talks to registries shares.
struct RegistryTransferOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Transfers at once.", valueName: "n"))
    var concurrency: Int = 4

    @Flag(help: "Do not check registry TLS certificates.")
    var insecure = false

    @Option(help: ArgumentHelp("Check registry certificates against this CA bundle.", valueName: "file"))
    var caFile: String?

    @Option(help: ArgumentHelp("Registry logins from this docker config.json (default $DOCKER_CONFIG/config.json or ~/.docker/config.json).",
                               valueName: "file"))
    var registryConfig: String?

    func validate() throws {
        if concurrency < 1 { throw ValidationError("--concurrency must be at least 1") }
    }

    func options(config: ConfigView? = nil) -> RegistryOptions {
        var options = RegistryOptions()
        options.insecureAll = insecure
        options.caFile = caFile
        for member in config?.instance("image_building.registries")?.members ?? [] {
            func flag(_ key: String) -> Bool {
                guard let value = member.value[key] else { return false }
                return value.scalarText == "true"
            }
            options.declare(registry: member.key, http: flag("http"), insecure: flag("insecure"))
        }
        return options
    }

    func credentials(config: ConfigView? = nil) throws -> RegistryCredentials {
        var logins = RegistryCredentials()
        do {
            if let config { logins = try RegistryCredentials.of(config) }
            logins.merge(try RegistryCredentials.dockerConfig(registryConfig ?? RegistryCredentials.dockerConfigPath(),
                                                              required: registryConfig != nil))
        } catch {
            printError("\(error)")
            throw ExitCode(1)
        }
        return logins
    }
}

/// Prints transfer events: one JSON object a line with --format json; on a terminal, a progress line on stderr
/// (images done, bytes, bytes/s), redrawn at most every 200 ms.
final class TransferReporter: @unchecked Sendable {
    let json: Bool
    let terminal = isatty(2) != 0
    let total: Int
    private let lock = NSLock()
    private var done = 0
    private var bytes: Int64 = 0
    private var lastDraw = Date.distantPast
    private let started = Date()

    init(json: Bool, total: Int) {
        self.json = json
        self.total = total
    }

    func handle(_ event: TransferEvent) {
        lock.withLock {
            if event.event == .blobDone { bytes += event.transferred ?? 0 }
            if event.event == .imageDone || event.event == .imageFailed { done += 1 }
            if json {
                if event.event != .blobDone { printJSON(event, pretty: false) }
            } else if event.event == .imageFailed {
                clear()
                FileHandle.standardError.write(Data("failed: \(event.image ?? ""): \(event.error ?? "")\n".utf8))
            }
            draw(force: event.event == .imageDone && done == total)
        }
    }

    private func clear() {
        if terminal, !json { FileHandle.standardError.write(Data("\r\u{1b}[K".utf8)) }
    }

    private func draw(force: Bool) {
        guard terminal, !json, force || Date().timeIntervalSince(lastDraw) > 0.2 else { return }
        lastDraw = Date()
        let seconds = max(0.001, Date().timeIntervalSince(started))
        let line = "\r\u{1b}[K\(done)/\(total) images  \(Self.size(bytes))  \(Self.size(Int64(Double(bytes) / seconds)))/s"
        FileHandle.standardError.write(Data(line.utf8))
    }

    func finish() {
        lock.withLock { if terminal, !json { FileHandle.standardError.write(Data("\n".utf8)) } }
    }

    static func size(_ bytes: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024, unit < units.count - 1 { value /= 1024; unit += 1 }
        return unit == 0 ? "\(bytes) B" : String(format: "%.1f %@", value, units[unit])
    }
}

/// Runs an async body from a synchronous command (ArgumentParser's `run`), on a detached task.
func runAsync<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    let semaphore = DispatchSemaphore(value: 0)
    let box = ResultBox<T>()
    Task.detached {
        do { box.result = .success(try await body()) } catch { box.result = .failure(error) }
        semaphore.signal()
    }
    semaphore.wait()
    return try box.result!.get()
}

final class ResultBox<T>: @unchecked Sendable { var result: Result<T, Error>? }

/// The exit code of a failed transfer: 3 when a registry was unreachable, else 1.
func transferExit(_ errors: [Error]) -> ExitCode {
    errors.contains { ($0 as? RegistryError)?.isUnreachable ?? false } ? ExitCode(3) : ExitCode(1)
}

struct BundleCreateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Pull every image the config runs into an OCI layout, lock their digests, and archive it.",
        discussion: """
            The images are `kiln images CONFIG`'s, pulled from their upstream registries (helm.image_registries \
            and the docker config.json give the logins; Basic and Bearer-token registries both work) into DIR/oci, one \
            OCI image layout in which a blob shared by several images is stored once. Tags are resolved to digests \
            (kiln-images.lock.json, for `kiln render --pin-digests`); from a multi-arch index the --platform manifests \
            are kept. DIR also gets images.json, an image of kiln itself (quay.io/kiln/kiln:<version>, pushed where `kiln bootstrap --image-registry` looks: the binary, its \
            shared libraries and CA certificates), and docker-images-<version>.tar with its .sha256sum (with \
            --max-part-size, parts .tar00, .tar01… with .parts.txt and .parts.sha256sum).

            --mirror quay.io=HOST pulls quay.io's images from HOST instead (a pull-through cache, or a mirror seeded \
            earlier); the layout, lock and tar still name them as quay.io's, so push and --pin-digests are unchanged.

            Run again, it fetches only what is missing or corrupt. Exit 0 when every image is in; 1 when one failed \
            (each is named, with why); 3 when a registry was unreachable.
            """
    )

    @Argument(help: "The config.")
    var file: String

    @Option(name: .shortAndLong, help: ArgumentHelp("The bundle directory.", valueName: "dir"))
    var output: String

    @Option(help: ArgumentHelp("os/arch[/variant] to keep from multi-arch images; repeatable.", valueName: "platform"))
    var platform: [String] = []

    @Option(help: ArgumentHelp("Split the tar into parts of at most this size (e.g. 2G).", valueName: "size"))
    var maxPartSize: String?

    @Flag(help: "Write the layout, lock and images.json only, no tar.")
    var noArchive = false

    @Flag(help: "Leave out the image of kiln itself.")
    var noKilnImage = false

    @Option(help: ArgumentHelp("Pull REGISTRY's images from MIRROR (host[:port], http:// for plain HTTP), a pull-through cache or a seeded mirror; repeatable.",
                               valueName: "registry=mirror"))
    var mirror: [String] = []

    @OptionGroup var transfer: RegistryTransferOptions
    @OptionGroup var layers: LayerOptions
    @OptionGroup var outputOptions: OutputOptions

    func validate() throws {
        for p in platform { _ = try ImagePlatform(parsing: p) }
        if let maxPartSize { _ = try ByteSize.parse(maxPartSize) }
        do { _ = try registryOptions(config: nil) } catch { throw ValidationError("\(error)") }
    }

    func registryOptions(config: ConfigView?) throws -> RegistryOptions {
        var options = transfer.options(config: config)
        for text in mirror { try options.addMirror(parsing: text) }
        return options
    }

    func run() throws {
        let config = try validConfig(layers.request(file), color: outputOptions.color.enabled)
        let inventory: ImageInventory
        do { inventory = try ImageInventory.of(config) } catch {
            printError("\(error)")
            throw ExitCode(1)
        }
        var create = BundleCreate(output: output, kilnVersion: KilnVersion.current)
        create.platforms = try platform.map(ImagePlatform.init(parsing:))
        if create.platforms.isEmpty { create.platforms = [.linuxAMD64] }
        create.concurrency = transfer.concurrency
        create.maxPartSize = try maxPartSize.map(ByteSize.parse)
        create.archive = !noArchive
        create.kilnBinary = noKilnImage ? nil : KilnImage.runningBinary()
        let session = RegistrySession(options: try registryOptions(config: config), credentials: try transfer.credentials(config: config))
        let reporter = TransferReporter(json: outputOptions.format == .json, total: Set(inventory.images.map(\.source)).count)
        let created = create
        do {
            let summary = try runAsync { try await created.run(inventory, session: session, events: reporter.handle) }
            reporter.finish()
            if outputOptions.format == .json {
                printJSON(summary, pretty: false)
            } else {
                print("\(summary.images) images, \(summary.blobs) blobs (\(TransferReporter.size(summary.bytes)); "
                      + "\(TransferReporter.size(summary.transferred)) downloaded) in \(summary.layout)")
                if let kiln = summary.kilnImage { print("kiln image: \(kiln)") }
                print("lock: \(output)/\(ImageLock.fileName)")
                if let archive = summary.archive { print("wrote \(archive.files.joined(separator: ", "))") }
            }
        } catch let failed as BundleCreate.Failed {
            reporter.finish()
            printError(failed.description)
            throw transferExit(failed.failures.map(\.error))
        } catch {
            reporter.finish()
            printError("\(error)")
            throw transferExit([error])
        }
    }
}

struct BundlePushCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push",
        abstract: "Push every image of a bundle into a private registry, under the names an offline render pulls.",
        discussion: """
            REGISTRY is what offline.image_registry says (host[:port][/prefix]; http:// for a plain-HTTP registry, \
            loopback addresses are plain HTTP already): quay.io/domino/nucleus:6.1.2 goes to \
            REGISTRY/domino/nucleus:6.1.2, exactly the reference the render of an offline config pulls. For each image: \
            every blob HEADed first (present: skipped), mounted from another repository of this push where the \
            registry allows, else uploaded (one streamed PUT, or --chunk-size PATCHes); then the manifests by digest \
            (an index's platform manifests first) and the tag. An image whose tag already names its digest is skipped, \
            so an interrupted push resumes. DIR is a bundle directory or its layout; TAR is docker-images-<version>.tar \
            (extracted to a temporary directory beside it first, checked by digest as it is read).

            Exit 0 when every image is in; 1 when one failed; 3 when the registry was unreachable.
            """
    )

    @Argument(help: ArgumentHelp("The bundle directory, layout or tar.", valueName: "dir|tar"))
    var path: String

    @Argument(help: ArgumentHelp("The private registry: host[:port][/prefix].", valueName: "registry"))
    var registry: String

    @Option(help: ArgumentHelp("Upload blobs larger than this in chunks of this size (e.g. 64M); default one PUT per blob.", valueName: "size"))
    var chunkSize: String?

    @OptionGroup var transfer: RegistryTransferOptions
    @OptionGroup var outputOptions: OutputOptions

    func validate() throws {
        _ = try PushTarget(parsing: registry)
        if let chunkSize { _ = try ByteSize.parse(chunkSize) }
    }

    func run() throws {
        let target = try PushTarget(parsing: registry)
        var options = transfer.options()
        if target.plainHTTP == true { options.plainHTTP.insert(target.host) }
        let layout: OCILayout
        var scratch: String?
        do {
            (layout, scratch) = try BundleSource.layout(path)
        } catch {
            printError("\(error)")
            throw ExitCode(1)
        }
        defer { if let scratch { try? FileManager.default.removeItem(atPath: scratch) } }
        let session = RegistrySession(options: options, credentials: try transfer.credentials())
        let count = (try? layout.manifests().count) ?? 0
        let reporter = TransferReporter(json: outputOptions.format == .json, total: count)
        let pusher = ImagePusher(session: session, layout: layout, target: target, concurrency: transfer.concurrency,
                                 chunkSize: try chunkSize.map(ByteSize.parse), events: reporter.handle)
        let report: ImagePusher.Report
        do { report = try runAsync { try await pusher.push() } } catch {
            reporter.finish()
            printError("\(error)")
            throw transferExit([error])
        }
        reporter.finish()
        let bytes = report.images.reduce(0) { $0 + $1.bytes }
        let sent = report.images.reduce(0) { $0 + $1.transferred }
        if outputOptions.format == .json {
            printJSON(["event": AnyEncodable("summary"), "images": AnyEncodable(report.images.count), "failed": AnyEncodable(report.failures.count),
                       "bytes": AnyEncodable(bytes), "transferred": AnyEncodable(sent),
                       "uploaded": AnyEncodable(session.counters[RegistryCounters.blobUpload]),
                       "mounted": AnyEncodable(session.counters[RegistryCounters.blobMount]),
                       "present": AnyEncodable(session.counters[RegistryCounters.blobPresent])], pretty: false)
        } else {
            for image in report.images { print("\(image.reference)@\(image.digest)") }
            print("\(report.images.count) images pushed to \(target.registry): \(TransferReporter.size(sent)) uploaded of "
                  + "\(TransferReporter.size(bytes)) (\(session.counters[RegistryCounters.blobUpload]) blobs uploaded, "
                  + "\(session.counters[RegistryCounters.blobMount]) mounted, \(session.counters[RegistryCounters.blobPresent]) already there)")
        }
        guard report.failures.isEmpty else {
            for failure in report.failures where outputOptions.format == .text { printError("\(failure.image): \(failure.error)") }
            throw transferExit(report.failures.map(\.error))
        }
    }
}
