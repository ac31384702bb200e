import Diagnostics
import Foundation
import Schema
import YAML

/// One config file, read and parsed: its text (for source snippets), its tree, and what went wrong on the way.
public struct ConfigFile: Sendable {
    public let name: String
    public let source: SourceText
    /// The parsed document; nil when the file could not be read or parsed.
    public let root: Instance?
    public let diagnostics: [Diagnostic]

    /// Reads `path` (`-` for standard input). The size limit is checked before anything is read.
    public static func load(path: String, limits: YAMLLimits = .default) -> ConfigFile {
        let bytes: [UInt8]
        if path == "-" {
            let data = FileHandle.standardInput.readData(ofLength: limits.maxBytes + 1)
            bytes = Array(data)
        } else {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                return failure(path, .error(ConfigCode.unreadable, "no such file: \(path)"))
            }
            if isDirectory.boolValue {
                return failure(path, .error(ConfigCode.unreadable, "\(path) is a directory, not a config file"))
            }
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            if size > limits.maxBytes {
                return failure(path, .error(YAMLCode.tooLarge,
                                            "file is \(size) bytes, larger than the limit of \(limits.maxBytes) bytes",
                                            help: "kiln refuses inputs over \(limits.maxBytes >> 20) MiB before reading them"))
            }
            guard let data = FileManager.default.contents(atPath: path) else {
                return failure(path, .error(ConfigCode.unreadable, "cannot read \(path) (permission denied?)"))
            }
            bytes = Array(data)
        }
        return parse(bytes, name: path, limits: limits)
    }

    /// Parses config text held in memory.
    public static func parse(_ bytes: [UInt8], name: String, limits: YAMLLimits = .default) -> ConfigFile {
        let (node, diagnostics) = YAMLParser.parseDocument(bytes, limits: limits)
        // Only decode the text for snippets once it is known to be UTF-8.
        let text = diagnostics.contains { $0.code == YAMLCode.invalidUTF8 || $0.code == YAMLCode.tooLarge }
            ? "" : String(decoding: bytes, as: UTF8.self)
        return ConfigFile(name: name, source: SourceText(name: name, text: text),
                          root: node.map { InstanceBuilder.instance($0) },
                          diagnostics: diagnostics.map { $0.inFile(name) })
    }

    public static func parse(_ text: String, name: String) -> ConfigFile {
        parse(Array(text.utf8), name: name)
    }

    private static func failure(_ name: String, _ d: Diagnostic) -> ConfigFile {
        ConfigFile(name: name, source: SourceText(name: name, text: ""), root: nil, diagnostics: [d.inFile(name)])
    }
}
