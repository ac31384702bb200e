import Config
import Foundation
import Schema

/// The digest each image tag resolved to when a bundle was made: what `kiln render --pin-digests` pins, so the
/// air-gapped cluster runs exactly the bytes that were bundled.
///
/// The file (`kiln-images.lock.json`) is JSON, written with sorted keys and entries sorted by name, so the same lock
/// is the same bytes and a change reads well in a diff:
///
///     {
///       "images" : [
///         { "digest" : "sha256:<64 hex>", "name" : "quay.io/domino/nucleus:6.1.2" }
///       ],
///       "platformVersion" : "6.1.2",
///       "version" : 1
///     }
///
/// `name` is the upstream reference with its tag, as `kiln images` lists it; `version` is the file format's.
public struct ImageLock: Sendable, Equatable {
    public static let fileName = "kiln-images.lock.json"
    public static let formatVersion = 1

    public var platformVersion: String?
    /// Keyed by the reference without its digest (`ImageReference.unpinned`).
    public private(set) var digests: [ImageReference: Digest] = [:]

    public struct Failure: Error, CustomStringConvertible {
        public let file: String
        public let message: String
        public var description: String { "\(file): \(message)" }
    }

    public init(platformVersion: String? = nil) {
        self.platformVersion = platformVersion
    }

    public func digest(for reference: ImageReference) -> Digest? {
        digests[reference.unpinned]
    }

    public mutating func set(_ digest: Digest, for reference: ImageReference) {
        digests[reference.unpinned] = digest
    }

    struct Entry: Codable { let name: String; let digest: String }
    struct File: Codable { let version: Int; let platformVersion: String?; let images: [Entry] }

    public var text: String {
        let entries = digests.sorted { $0.key < $1.key }.map { Entry(name: $0.key.description, digest: $0.value.description) }
        return BundleJSON.text(File(version: Self.formatVersion, platformVersion: platformVersion, images: entries))
    }

    /// Replaces the file whole (a temporary file renamed over it).
    public func write(to path: String) throws {
        try FileOutput.write(text, to: path, overwrite: true)
    }

    public static func read(_ path: String) throws -> ImageLock {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Failure(file: path, message: FileManager.default.fileExists(atPath: path) ? "cannot be read" : "no such file")
        }
        return try parse(String(decoding: data, as: UTF8.self), file: path)
    }

    public static func parse(_ text: String, file: String = ImageLock.fileName) throws -> ImageLock {
        func fail(_ message: String) -> Failure { Failure(file: file, message: message) }
        let root: JSONValue
        do { root = try JSONReader.parse(text) } catch { throw fail("not a lock file: \(error)") }
        guard root.objectValue != nil else { throw fail("not a lock file: the top level is not a JSON object") }
        guard let version = root["version"]?.numberValue else { throw fail("no `version` (this format is version \(formatVersion))") }
        guard version == Double(formatVersion) else {
            throw fail("format version \(root["version"]!.jsonText) is not one this kiln reads (it reads \(formatVersion))")
        }
        guard let entries = root["images"]?.arrayValue else { throw fail("no `images` list") }
        var lock = ImageLock(platformVersion: root["platformVersion"]?.stringValue)
        for (i, entry) in entries.enumerated() {
            guard let name = entry["name"]?.stringValue else { throw fail("images[\(i)] has no `name`") }
            let reference: ImageReference
            do { reference = try ImageReference(parsing: name) } catch { throw fail("images[\(i)]: \(error)") }
            guard let digestText = entry["digest"]?.stringValue else { throw fail("images[\(i)] (\(name)) has no digest") }
            let digest: Digest
            do { digest = try Digest(parsing: digestText) } catch { throw fail("images[\(i)] (\(name)): \(error)") }
            if let pinned = reference.digest, pinned != digest {
                throw fail("images[\(i)]: \(name) names digest \(pinned) but its `digest` is \(digest)")
            }
            if let earlier = lock.digest(for: reference), earlier != digest {
                throw fail("images[\(i)]: \(reference.unpinned) is listed twice, with digests \(earlier) and \(digest)")
            }
            lock.set(digest, for: reference)
        }
        return lock
    }
}
