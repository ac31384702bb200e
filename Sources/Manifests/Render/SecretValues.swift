import Config
import Diagnostics
import Foundation

/// Resolves the `${env:NAME}` and `${file:PATH}` references a config holds instead of secrets, when a rendered object
/// needs the value. A missing variable or unreadable file is an error that names it (and never shows a value).
public struct SecretValues: Sendable {
    public static let missingVariable = RenderCode.missingVariable
    public static let unreadableFile = RenderCode.unreadableFile

    let variable: @Sendable (String) -> String?
    let readFile: @Sendable (String) -> String?

    /// Reads the process environment and the file system.
    public init() {
        let environment = ProcessInfo.processInfo.environment
        self.init(variable: { environment[$0] },
                  readFile: { FileManager.default.contents(atPath: $0).map { String(decoding: $0, as: UTF8.self) } })
    }

    public init(variable: @escaping @Sendable (String) -> String?, readFile: @escaping @Sendable (String) -> String?) {
        self.variable = variable
        self.readFile = readFile
    }

    /// The value of `text` at `path`: the text itself, or what its reference points to. nil after recording an error.
    func resolve(_ text: String, at path: String, into diagnostics: inout [Diagnostic]) -> String? {
        guard ValueReference.isReference(text) else { return text }
        let inner = String(text.dropFirst(2).dropLast())
        if inner.hasPrefix("env:") {
            let name = String(inner.dropFirst(4))
            guard let value = variable(name) else {
                diagnostics.append(.error(Self.missingVariable, "environment variable \(name) is not set (for \(path))", path: path,
                                          help: "export \(name) before rendering, or write the value with ${file:PATH}"))
                return nil
            }
            return value
        }
        let file = String(inner.dropFirst(5))
        guard let value = readFile(file) else {
            diagnostics.append(.error(Self.unreadableFile, "cannot read \(file) (for \(path))", path: path))
            return nil
        }
        return value.hasSuffix("\n") ? String(value.dropLast()) : value
    }
}
