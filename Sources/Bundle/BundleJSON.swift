import Foundation

/// The JSON files of a bundle (lock, images.json, index.json, oci-layout): sorted keys and no escaped slashes, so the
/// same content is the same bytes, with a final newline.
enum BundleJSON {
    static func text<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding these plain structs of strings and integers cannot fail.
        let data = (try? encoder.encode(value)) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
