import Kube
import Schema

/// Why a registry exchange failed, naming the registry and what was being fetched or sent, in words an operator can
/// act on. `unreachable` is kiln's exit code 3; the rest are 1.
public struct RegistryError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// Connection refused, no such host, TLS failure, timeout.
        case unreachable
        /// No credentials for a registry that wants them, or credentials it refused.
        case unauthorized
        /// The tag, manifest or blob is not in the registry.
        case notFound
        /// Bytes that do not hash to the digest they were asked by.
        case digestMismatch
        /// Any other refusal (4xx/5xx after retries), or an answer kiln cannot read.
        case failed
    }

    public let kind: Kind
    /// The registry's name as references spell it (`quay.io`, `127.0.0.1:5000`).
    public let registry: String
    /// `manifest quay.io/domino/nucleus:6.1.2`, `blob sha256:… of quay.io/domino/nucleus`.
    public let subject: String
    public let reason: String

    public init(_ kind: Kind, registry: String, subject: String, reason: String) {
        self.kind = kind
        self.registry = registry
        self.subject = subject
        self.reason = reason
    }

    public var description: String { "\(subject) (registry \(registry)): \(reason)" }

    public var isUnreachable: Bool { kind == .unreachable }

    /// A transport error as a registry error: unreachable, untrusted and everything else.
    static func transport(_ error: Error, registry: String, subject: String) -> Error {
        if error is RegistryError || error is CancellationError { return error }
        if let http = error as? HTTPError {
            switch http {
            case .unreachable, .untrusted:
                return RegistryError(.unreachable, registry: registry, subject: subject, reason: "registry unreachable: \(http)")
            default:
                return RegistryError(.failed, registry: registry, subject: subject, reason: "\(http)")
            }
        }
        return RegistryError(.failed, registry: registry, subject: subject, reason: "\(error)")
    }

    /// An unexpected status as a registry error, with the distribution spec's error code when the body carries one.
    static func status(_ response: HTTPResponse, registry: String, subject: String, expected: String) -> RegistryError {
        let codes = RegistryErrorBody.codes(response.body)
        let detail = codes.isEmpty ? "" : " (\(codes.joined(separator: ", ")))"
        switch response.status {
        case 401:
            return RegistryError(.unauthorized, registry: registry, subject: subject,
                                 reason: "credentials refused (HTTP 401\(detail))")
        case 403:
            return RegistryError(.unauthorized, registry: registry, subject: subject,
                                 reason: "access denied: the credentials may not do this (HTTP 403\(detail))")
        case 404:
            let what = subject.hasPrefix("manifest") ? "tag not found in registry" : "not found in registry"
            return RegistryError(.notFound, registry: registry, subject: subject, reason: "\(what) (HTTP 404\(detail))")
        default:
            return RegistryError(.failed, registry: registry, subject: subject,
                                 reason: "HTTP \(response.status)\(detail), expected \(expected)")
        }
    }
}

/// The distribution spec's error body: `{"errors": [{"code": "MANIFEST_UNKNOWN", "message": "…"}]}`.
enum RegistryErrorBody {
    static func codes(_ body: [UInt8]) -> [String] {
        guard !body.isEmpty, let json = try? JSONReader.parse(String(decoding: body, as: UTF8.self)) else { return [] }
        return (json["errors"]?.arrayValue ?? []).compactMap { error in
            guard let code = error["code"]?.stringValue else { return nil }
            let message = error["message"]?.stringValue ?? ""
            return message.isEmpty ? code : "\(code): \(message)"
        }
    }
}
