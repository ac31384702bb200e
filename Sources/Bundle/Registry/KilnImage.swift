import Foundation
import Config
import Kube

/// An OCI image of kiln itself, written into a bundle's layout so an operator Deployment can run kiln from the
/// private registry. `FROM scratch`: one uncompressed tar layer holding
///
/// - the running binary as `/usr/local/bin/kiln` (mode 0755);
/// - every shared object `ldd` lists for it at bundle time — libcurl, libyaml, libcrypto, libssl and their
///   dependencies, and glibc itself (libc, libm, libstdc++, libgcc_s) copied from the bundling host — in
///   `/usr/local/lib/kiln`, found through `LD_LIBRARY_PATH`; the dynamic loader at the path the binary names
///   (`/lib64/ld-linux-x86-64.so.2` on x86-64);
/// - the host's CA bundle as `/etc/ssl/certs/ca-certificates.crt` (`SSL_CERT_FILE` points at it);
///
/// with `Entrypoint ["/usr/local/bin/kiln"]`, user 65532 and the host's architecture. The image therefore runs the
/// exact libraries kiln was tested with on the host, needs no base image, and is as portable as that host's glibc
/// (Debian 12's 2.36 on the CI machines). Built from a release build (static Swift runtime) it holds no Swift
/// libraries; from a debug build it also carries the toolchain's.
public enum KilnImage {
    public static let binaryPath = "usr/local/bin/kiln"
    public static let libraryDirectory = "usr/local/lib/kiln"
    public static let certificates = "etc/ssl/certs/ca-certificates.crt"
    public static let layerMediaType = "application/vnd.oci.image.layer.v1.tar"
    public static let configMediaType = "application/vnd.oci.image.config.v1+json"

    public struct Failure: Error, CustomStringConvertible { public let description: String }

    /// The reference the layout names it by: kiln's image (`quay.io/kiln/kiln:<version>`, `KilnVersion.image`), pushed
    /// as `<registry>/kiln/kiln:<version>`, where `kiln bootstrap --image-registry <registry>` runs the operator from.
    public static func reference(version: String) -> ImageReference {
        ImageReference(registry: KilnVersion.imageRepository.registry, repository: KilnVersion.imageRepository.repository,
                       tag: version, digest: nil)
    }

    /// The running executable (`/proc/self/exe`).
    public static func runningBinary() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// The shared objects `ldd` lists: (path in the image, path on this host).
    static func libraries(of binary: String) throws -> [(String, String)] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/ldd")
        process.arguments = [binary]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = Pipe()
        do { try process.run() } catch { throw Failure(description: "cannot run ldd (libc-bin) to find kiln's libraries: \(error)") }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw Failure(description: "ldd \(binary) failed: is it a dynamic executable?") }
        var out: [(String, String)] = []
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            if fields.count >= 3, fields[1] == "=>", fields[2].hasPrefix("/") {
                out.append(("\(libraryDirectory)/\(fields[0])", fields[2]))
            } else if let first = fields.first, first.hasPrefix("/") {
                // The dynamic loader, at the path the binary's PT_INTERP names.
                out.append((String(first.dropFirst()), first))
            }
        }
        return out
    }

    static var architecture: String {
        var name = utsname()
        uname(&name)
        let machine = withUnsafeBytes(of: &name.machine) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        switch machine {
        case "x86_64": return "amd64"
        case "aarch64": return "arm64"
        default: return machine
        }
    }

    /// Builds the image into `layout` and tags it; returns the manifest's descriptor.
    @discardableResult
    public static func write(into layout: OCILayout, binary: String, version: String,
                             caBundle: String = "/etc/ssl/certs/ca-certificates.crt") throws -> OCIDescriptor {
        let resolved = (binary as NSString).resolvingSymlinksInPath
        guard let binarySize = FileChunks.size(of: resolved) else { throw Failure(description: "cannot read the kiln binary \(resolved)") }
        var files: [String: (source: String, mode: Int)] = [binaryPath: (resolved, 0o755)]
        // libcurl is loaded at run time, not linked (see Sources/CCurl): it and what it needs go in beside ldd's list.
        let curl: [(String, String)]
        switch HTTPClient.libcurl() {
        case .success(let path): curl = [("\(libraryDirectory)/libcurl.so.4", path)] + (try libraries(of: path))
        case .failure(let error): throw Failure(description: "the kiln image needs libcurl: \(error)")
        }
        for (inImage, host) in try libraries(of: resolved) + curl {
            files[inImage] = ((host as NSString).resolvingSymlinksInPath, 0o755)
        }
        if FileChunks.size(of: caBundle) != nil { files[certificates] = (caBundle, 0o644) }
        var directories = Set<String>(["tmp/"])
        for path in files.keys {
            var parent = (path as NSString).deletingLastPathComponent
            while !parent.isEmpty { directories.insert(parent + "/"); parent = (parent as NSString).deletingLastPathComponent }
        }
        var entries = directories.map { TarWriter.Entry(name: $0, source: nil, size: 0) }
        for (name, file) in files {
            guard let size = name == binaryPath ? binarySize : FileChunks.size(of: file.source) else {
                throw Failure(description: "cannot read \(file.source)")
            }
            entries.append(TarWriter.Entry(name: name, source: file.source, size: size, mode: file.mode))
        }
        entries.sort { Array($0.name.utf8).lexicographicallyPrecedes(Array($1.name.utf8)) }

        let scratch = "\(layout.path)/.kiln-image-\(getpid())"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let output = try SplitOutput(directory: scratch, name: "layer.tar", partSize: nil, totalSize: TarWriter.size(of: entries))
        try TarWriter.write(entries, to: output)
        let layerDigest = try output.finish()
        let layer = try layout.write(blob: layerDigest, from: "\(scratch)/layer.tar")

        let config = ImageConfig(architecture: architecture, os: "linux", config: .init(
            Entrypoint: ["/" + binaryPath], Env: ["PATH=/usr/local/bin", "LD_LIBRARY_PATH=/" + libraryDirectory,
                                                 "SSL_CERT_FILE=/" + certificates],
            User: "65532:65532", WorkingDir: "/tmp",
            Labels: ["org.opencontainers.image.title": "kiln", "org.opencontainers.image.version": version]),
            rootfs: .init(type: "layers", diff_ids: [layer.digest.description]),
            history: [.init(created_by: "kiln bundle create: the kiln binary, its shared libraries (ldd) and CA certificates")])
        let configBlob = try layout.write(blob: Array(BundleJSON.text(config).utf8))
        let manifest = Manifest(config: .init(mediaType: configMediaType, digest: configBlob.digest.description, size: configBlob.size),
                                layers: [.init(mediaType: layerMediaType, digest: layer.digest.description, size: layer.size)],
                                annotations: ["org.opencontainers.image.title": "kiln", "org.opencontainers.image.version": version])
        let manifestBytes = Array(BundleJSON.text(manifest).utf8)
        let stored = try layout.write(blob: manifestBytes)
        let descriptor = OCIDescriptor(mediaType: OCIDescriptor.imageManifest, digest: stored.digest, size: stored.size)
        try layout.tag(descriptor, as: reference(version: version), original: KilnVersion.image(version))
        return descriptor
    }

    struct ImageConfig: Encodable {
        struct Config: Encodable {
            let Entrypoint: [String]
            let Env: [String]
            let User: String
            let WorkingDir: String
            let Labels: [String: String]
        }
        struct RootFS: Encodable { let type: String; let diff_ids: [String] }
        struct History: Encodable { let created_by: String }
        let architecture: String
        let os: String
        let config: Config
        let rootfs: RootFS
        let history: [History]
    }

    struct Manifest: Encodable {
        struct Descriptor: Encodable { let mediaType: String; let digest: String; let size: Int64 }
        let schemaVersion = 2
        let mediaType = OCIDescriptor.imageManifest
        let config: Descriptor
        let layers: [Descriptor]
        let annotations: [String: String]
    }
}
