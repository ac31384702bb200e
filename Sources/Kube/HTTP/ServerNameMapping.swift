import Foundation

/// kubeconfig `tls-server-name` in libcurl terms. libcurl (7.88) cannot set SNI or the name it verifies apart from
/// the URL's host, so the URL is rewritten to carry the server name and `CURLOPT_CONNECT_TO` sends the connection to
/// the real host and port; the Host header keeps the kubeconfig's address, as kubectl sends it.
struct ServerNameMapping {
    /// The URL under the server name.
    let url: String
    /// `name:port:host:port` for CURLOPT_CONNECT_TO.
    let connectTo: String
    /// The original `host:port`, for the Host header.
    let host: String

    init?(url: String, serverName: String) {
        guard !serverName.isEmpty, var components = URLComponents(string: url), let host = components.host,
              host != serverName else { return nil }
        let port = components.port ?? (components.scheme == "http" ? 80 : 443)
        let literal = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        connectTo = "\(serverName):\(port):\(literal):\(port)"
        self.host = components.port.map { "\(literal):\($0)" } ?? literal
        components.host = serverName
        guard let rewritten = components.string else { return nil }
        self.url = rewritten
    }
}
