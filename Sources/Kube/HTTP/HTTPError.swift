public enum HTTPError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The server could not be reached (refused, unresolvable, timed out, TLS failure): kiln's exit code 3.
    case unreachable(url: String, reason: String)
    case invalidURL(String)
    /// The server's TLS certificate failed verification against `ca` (which trust was used, in words): like
    /// `unreachable`, kiln's exit code 3.
    case untrusted(url: String, ca: String, reason: String)
    /// A body could not be read or written locally (an upload's file, a download's destination).
    case file(path: String, reason: String)

    public var description: String {
        switch self {
        case let .unreachable(url, reason): return "cannot reach \(url): \(reason)"
        case let .invalidURL(url): return "invalid URL: \(url)"
        case let .untrusted(url, ca, reason):
            let what = reason.contains("subject name") || reason.contains("does not match")
                ? "the server's certificate does not name the host kiln connected to (set tls-server-name in the kubeconfig if it carries another name)"
                : "the server's certificate is not signed by \(ca)"
            return "cannot trust \(url): \(what) (\(reason))"
        case let .file(path, reason): return "\(path): \(reason)"
        }
    }

    /// What to check, for the message's hint line.
    public var hint: String? {
        switch self {
        case .unreachable: return "is the cluster up, and is the kubeconfig's server address right?"
        case .untrusted: return "check the cluster's certificate-authority (or -data) in the kubeconfig, and tls-server-name if the certificate names another host"
        case .invalidURL: return "check the kubeconfig's server address"
        case .file: return nil
        }
    }
}
