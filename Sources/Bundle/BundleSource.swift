import Foundation

/// What `kiln bundle push` reads: a layout, a bundle directory holding one (`oci/`), or a `docker-images-<ver>.tar`,
/// which is read once as a stream and extracted into a temporary directory beside it (each blob checked against its
/// name as it is written), because a push reads blobs in its own order, several at once.
public enum BundleSource {
    public struct Failure: Error, CustomStringConvertible { public let description: String }

    /// The layout, and the temporary directory to remove afterwards (for a tar).
    public static func layout(_ path: String) throws -> (OCILayout, String?) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw Failure(description: "no such file or directory: \(path)")
        }
        if isDirectory.boolValue {
            if FileManager.default.fileExists(atPath: "\(path)/\(OCILayout.layoutFile)") { return (try OCILayout(opening: path), nil) }
            let inner = "\(path)/\(BundleCreate.layoutDirectory)"
            if FileManager.default.fileExists(atPath: "\(inner)/\(OCILayout.layoutFile)") { return (try OCILayout(opening: inner), nil) }
            throw Failure(description: "\(path) holds no OCI image layout (no oci-layout, no oci/oci-layout)")
        }
        let scratch = ((path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent)
            + "/.kiln-push-\(getpid())"
        do {
            try extract(path, into: scratch)
            return (try OCILayout(opening: scratch), scratch)
        } catch {
            try? FileManager.default.removeItem(atPath: scratch)
            throw error
        }
    }

    /// Extracts the tar's regular files under `directory`; a `blobs/sha256/<hex>` entry must hash to `<hex>`.
    static func extract(_ tar: String, into directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let input = try ChainedReader([tar])
        final class Open { var fd: Int32 = -1; var hasher = SHA256Hasher(); var expected: Digest?; var name = ""; var failed: Error? }
        let current = Open()
        func settle() throws {
            guard current.fd >= 0 else { return }
            close(current.fd)
            current.fd = -1
            if let error = current.failed { throw error }
            if let expected = current.expected, current.hasher.finish() != expected {
                throw Failure(description: "\(tar): \(current.name) does not hash to its name (run `kiln bundle verify`)")
            }
        }
        try TarReader.read(input) { name in
            try settle()
            guard !name.hasPrefix("/"), !name.split(separator: "/").contains("..") else {
                throw Failure(description: "\(tar): entry \(name) points outside the bundle")
            }
            let target = "\(directory)/\(name)"
            try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            current.fd = open(target, O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0o644)
            guard current.fd >= 0 else { throw FileChunks.Failure.errno("write", target) }
            current.hasher = SHA256Hasher()
            current.expected = BundleVerifier.blobDigest(name)
            current.name = name
            current.failed = nil
            return { bytes in
                current.hasher.update(bytes)
                do { try FileChunks.write(current.fd, bytes, path: target) } catch { current.failed = error }
            }
        }
        try settle()
    }
}
