import Foundation
import Schema

/// `kiln bundle verify DIR|TAR`: the part checksums, the tar checksum, and the digest of every blob, whether the blobs
/// sit in a layout directory or inside a tar (read as a stream, never extracted). Parts and tar are hashed in the same
/// single pass that checks the blobs inside them.
public enum BundleVerifier {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public static func verify(_ path: String) throws -> VerifyReport {
        var report = VerifyReport()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw Failure(description: "no such file or directory: \(path)")
        }
        if !isDirectory.boolValue {
            let sum = path + ".sha256sum"
            let expected = FileManager.default.fileExists(atPath: sum) ? try readSums(sum, into: &report) : [:]
            let name = (path as NSString).lastPathComponent
            try checkArchive(name: name, files: [path], tarDigest: expected[name], partDigests: [:], into: &report)
            return report
        }
        var found = false
        if FileManager.default.fileExists(atPath: "\(path)/\(OCILayout.layoutFile)") {
            found = true
            try checkLayout(path, into: &report)
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: path).sorted()
        for name in names where name.hasSuffix(".tar.sha256sum") {
            found = true
            let tar = String(name.dropLast(".sha256sum".count))
            let sums = try readSums("\(path)/\(name)", into: &report)
            let partsSum = String(tar.dropLast(".tar".count)) + ".parts.sha256sum"
            if FileManager.default.fileExists(atPath: "\(path)/\(tar)") {
                try checkArchive(name: tar, files: ["\(path)/\(tar)"], tarDigest: sums[tar], partDigests: [:], into: &report)
            } else if names.contains(partsSum) {
                let parts = try ChecksumFile.parse(try text("\(path)/\(partsSum)"), file: partsSum)
                report.checked.append(partsSum)
                let missing = parts.filter { !FileManager.default.fileExists(atPath: "\(path)/\($0.name)") }
                guard missing.isEmpty else {
                    report.problems += missing.map { .init(file: $0.name, archive: nil, reason: "missing (listed in \(partsSum))") }
                    continue
                }
                try checkArchive(name: tar, files: parts.map { "\(path)/\($0.name)" }, tarDigest: sums[tar],
                                 partDigests: Dictionary(parts.map { ($0.name, $0.digest) }) { a, _ in a }, into: &report)
            } else {
                report.problems.append(.init(file: tar, archive: nil, reason: "missing (named in \(name)), and no parts beside it"))
            }
        }
        // A bundle directory keeps its layout in a subdirectory (`oci/`).
        for name in names where FileManager.default.fileExists(atPath: "\(path)/\(name)/\(OCILayout.layoutFile)") {
            found = true
            try checkLayout("\(path)/\(name)", into: &report)
        }
        guard found else {
            throw Failure(description: "\(path) holds no OCI image layout, no tar and no *.tar.sha256sum: nothing to verify")
        }
        report.problems.sort { rank($0) < rank($1) }
        return report
    }

    static func rank(_ problem: VerifyReport.Problem) -> Int {
        if problem.archive != nil { return 2 }
        return problem.file.hasSuffix(".tar") ? 1 : (problem.file.contains("/blobs/") ? 2 : 0)
    }

    static func text(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else { throw Failure(description: "cannot read \(path)") }
        return String(decoding: data, as: UTF8.self)
    }

    static func readSums(_ path: String, into report: inout VerifyReport) throws -> [String: Digest] {
        let name = (path as NSString).lastPathComponent
        report.checked.append(name)
        return Dictionary(try ChecksumFile.parse(try text(path), file: name).map { ($0.name, $0.digest) }) { a, _ in a }
    }

    /// One blob being hashed as its tar entry streams past.
    final class BlobCheck {
        let name: String
        let expected: Digest
        var hasher = SHA256Hasher()
        init(name: String, expected: Digest) { self.name = name; self.expected = expected }
    }

    /// `blobs/sha256/<hex>` (under any leading directory): a blob whose name is its digest.
    static func blobDigest(_ entry: String) -> Digest? {
        let parts = entry.split(separator: "/")
        guard parts.count >= 3, parts[parts.count - 3] == "blobs", parts[parts.count - 2] == "sha256" else { return nil }
        return try? Digest(parsing: "sha256:\(parts[parts.count - 1])")
    }

    static func checkArchive(name: String, files: [String], tarDigest: Digest?, partDigests: [String: Digest],
                             into report: inout VerifyReport) throws {
        report.checked.append(name)
        let input = try ChainedReader(files)
        var current: BlobCheck?
        var blobProblems: [VerifyReport.Problem] = []
        var blobs = 0
        func settle() {
            guard let check = current else { return }
            let digest = check.hasher.finish()
            blobs += 1
            if digest != check.expected {
                blobProblems.append(.init(file: check.name, archive: name, reason: "its content has digest \(digest)"))
            }
            current = nil
        }
        do {
            try TarReader.read(input) { entry in
                settle()
                guard let expected = blobDigest(entry) else { return nil }
                let check = BlobCheck(name: entry, expected: expected)
                current = check
                return { check.hasher.update($0) }
            }
            settle()
            try input.drain()
        } catch let error as TarReader.Malformed {
            current = nil
            blobProblems.append(.init(file: name, archive: nil, reason: error.description))
            try input.drain()
        }
        report.blobs += blobs
        for (file, digest) in input.fileDigests {
            let part = (file as NSString).lastPathComponent
            if let expected = partDigests[part], expected != digest {
                report.problems.append(.init(file: part, archive: nil, reason: "sha256 \(digest.hex) does not match its checksum file"))
            }
        }
        if let tarDigest {
            let digest = input.wholeDigest()
            if digest != tarDigest {
                report.problems.append(.init(file: name, archive: nil, reason: "sha256 \(digest.hex) does not match its checksum file"))
            }
        }
        report.problems += blobProblems
    }

    /// Every blob's digest, and every blob that `index.json` and the manifests it reaches refer to is present.
    static func checkLayout(_ path: String, into report: inout VerifyReport) throws {
        let layout = try OCILayout(opening: path)
        report.checked.append(path)
        for digest in try layout.blobs() {
            let blob = layout.blobPath(digest)
            let found = try SHA256Hasher.digest(ofFile: blob).digest
            report.blobs += 1
            if found != digest { report.problems.append(.init(file: blob, archive: nil, reason: "its content has digest \(found)")) }
        }
        var seen = Set<String>()
        var queue = try layout.manifests().map { ($0, "index.json") }
        while let (descriptor, parent) = queue.popLast() {
            guard seen.insert(descriptor.digest).inserted, let digest = try? Digest(parsing: descriptor.digest) else { continue }
            guard layout.hasBlob(digest) else {
                report.problems.append(.init(file: layout.blobPath(digest), archive: nil, reason: "missing (referenced by \(parent))"))
                continue
            }
            guard [OCIDescriptor.imageManifest, OCIDescriptor.imageIndex, OCIDescriptor.dockerManifest,
                   OCIDescriptor.dockerManifestList].contains(descriptor.mediaType),
                  let json = try? JSONReader.parse(text(layout.blobPath(digest))) else { continue }
            let children = ([json["config"]].compactMap { $0 } + (json["layers"]?.arrayValue ?? []) + (json["manifests"]?.arrayValue ?? []))
            for child in children {
                guard let text = child["digest"]?.stringValue, let media = child["mediaType"]?.stringValue else { continue }
                guard let d = try? Digest(parsing: text) else {
                    report.problems.append(.init(file: layout.blobPath(digest), archive: nil, reason: "refers to `\(text)`, not a sha256 digest"))
                    continue
                }
                queue.append((OCIDescriptor(mediaType: media, digest: d, size: 0), descriptor.digest))
            }
        }
    }
}
