/// A `WWW-Authenticate` challenge: `Basic realm="…"` or `Bearer realm="https://auth.example/token",
/// service="registry.example",scope="repository:app:pull"` (the docker token specification's form).
struct AuthChallenge: Sendable, Equatable {
    enum Scheme: String, Sendable { case basic, bearer }

    let scheme: Scheme
    let parameters: [String: String]

    var realm: String? { parameters["realm"] }
    var service: String? { parameters["service"] }
    var scope: String? { parameters["scope"] }

    /// The first challenge kiln can answer (Bearer before Basic when both are offered), nil for none.
    static func parse(_ header: String) -> AuthChallenge? {
        var challenges: [AuthChallenge] = []
        var current: (scheme: Scheme?, parameters: [String: String])?
        var rest = Substring(header)
        func skipSpace() { while let c = rest.first, c == " " || c == "," { rest.removeFirst() } }
        while true {
            skipSpace()
            guard !rest.isEmpty else { break }
            // A token: a scheme name, or a parameter name followed by `=`.
            let token = rest.prefix { $0 != " " && $0 != "=" && $0 != "," }
            rest = rest.dropFirst(token.count)
            if rest.first == "=" {
                rest.removeFirst()
                var value = ""
                if rest.first == "\"" {
                    rest.removeFirst()
                    while let c = rest.first, c != "\"" {
                        rest.removeFirst()
                        if c == "\\", let escaped = rest.first { value.append(escaped); rest.removeFirst() } else { value.append(c) }
                    }
                    if !rest.isEmpty { rest.removeFirst() }
                } else {
                    value = String(rest.prefix { $0 != "," && $0 != " " })
                    rest = rest.dropFirst(value.count)
                }
                current?.parameters[token.lowercased()] = value
            } else {
                if let done = current, let scheme = done.scheme { challenges.append(AuthChallenge(scheme: scheme, parameters: done.parameters)) }
                current = (Scheme(rawValue: token.lowercased()), [:])
            }
        }
        if let done = current, let scheme = done.scheme { challenges.append(AuthChallenge(scheme: scheme, parameters: done.parameters)) }
        return challenges.first { $0.scheme == .bearer } ?? challenges.first
    }
}
