import Config
import Diagnostics
import Foundation

/// Resolves the `${env:NAME}`, `${file:PATH}` and `${secret:NAME/KEY}` references a config holds instead of secrets, when a rendered object
/// needs the value. A missing variable or unreadable file is an error that names it (and never shows a value).
public struct SecretValues: Sendable {
    public static let missingVariable = RenderCode.missingVariable
    public static let unreadableFile = RenderCode.unreadableFile
    public static let missingSecret = RenderCode.missingSecret

    let variable: @Sendable (String) -> String?
    let readFile: @Sendable (String) -> String?
    /// A Kubernetes Secret's key (the operator reads them before rendering); nil: this caller cannot read Secrets.
    let secretKey: (@Sendable (_ name: String, _ key: String) -> String?)?

    /// Reads the process environment and the file system.
    public init() {
        let environment = ProcessInfo.processInfo.environment
        self.init(variable: { environment[$0] },
                  readFile: { FileManager.default.contents(atPath: $0).map { String(decoding: $0, as: UTF8.self) } })
    }

    public init(variable: @escaping @Sendable (String) -> String?, readFile: @escaping @Sendable (String) -> String?,
                secretKey: (@Sendable (_ name: String, _ key: String) -> String?)? = nil) {
        self.variable = variable
        self.readFile = readFile
        self.secretKey = secretKey
    }

    /// The same sources, and Secrets' keys from `secretKey`.
    public func reading(secrets secretKey: @escaping @Sendable (_ name: String, _ key: String) -> String?) -> SecretValues {
        SecretValues(variable: variable, readFile: readFile, secretKey: secretKey)
    }

    /// The value of `text` at `path`, or the problem that kept it (for renderers outside this module).
    public func value(of text: String, at path: String) -> (value: String?, problems: [Diagnostic]) {
        var problems: [Diagnostic] = []
        let value = resolve(text, at: path, into: &problems)
        return (value, problems)
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
        if let (name, key) = ValueReference.secret(text) {
            guard let secretKey else {
                diagnostics.append(.error(Self.missingSecret, "${secret:\(name)/\(key)} (for \(path)) is read by the operator from its namespace",
                                          path: path, help: "kiln renders it only inside `kiln operator`; use ${env:NAME} or ${file:PATH} here"))
                return nil
            }
            guard let value = secretKey(name, key) else {
                diagnostics.append(.error(Self.missingSecret, "Secret \(name) has no key \(key) (for \(path))", path: path,
                                          help: "create it: kubectl create secret generic \(name) --from-literal=\(key)=…"))
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
