import Config
import Schema

/// The values schemas under `schemas/values/` (embedded in the binary): `generic.schema.json` holds the keys every
/// release accepts, `<release>.schema.json` what one release adds. A release's schema is the two merged.
enum ValuesSchemaFiles {
    static let directory = "schemas/values/"

    static func schema(for release: String) -> String {
        guard let generic = json(directory + "generic.schema.json") else { return #"{"type": "object"}"# }
        guard let own = json(directory + release + ".schema.json") else { return generic.jsonText }
        var merged: [(String, JSONValue)] = []
        for (key, value) in generic.objectValue ?? [] {
            switch key {
            case "properties", "$defs":
                merged.append((key, .object((value.objectValue ?? []) + (own[key]?.objectValue ?? []))))
            case "description":
                merged.append((key, own[key] ?? value))
            default:
                merged.append((key, value))
            }
        }
        return JSONValue.object(merged).jsonText
    }

    static func json(_ path: String) -> JSONValue? {
        BuiltinResources.text(path).flatMap { try? JSONReader.parse($0) }
    }

    /// The releases with values of their own.
    static var releasesWithFiles: [String] {
        BuiltinResources.paths.filter { $0.hasPrefix(directory) && $0 != directory + "generic.schema.json" }
            .map { String($0.dropFirst(directory.count).dropLast(".schema.json".count)) }
    }
}
