import Kube
import Schema

/// Entries other managers added to lists kiln sets: an env var from `kubectl set env`, a container from
/// `kubectl edit`. Server-side apply keeps them (they are not kiln's), so a dry run of kiln's apply still shows them;
/// but the reference compares the deployed manifest with the live state, and so does drift: within a keyed list kiln
/// renders, an entry it does not render is drift. Map keys kiln does not set are not (the server defaults them).
enum ForeignEntries {
    /// Sidecars that injection webhooks legitimately add to pod templates.
    static let injected: Set<String> = ["istio-proxy", "istio-init", "linkerd-proxy", "linkerd-init"]

    /// `server` (the server's view: the dry-run result, or the live object) without the keyed-list and set entries
    /// that `rendered` does not have, at every list `rendered` sets.
    static func stripped(_ server: JSONValue, rendered: JSONValue, kind: String, path: [String] = []) -> JSONValue {
        switch (server, rendered) {
        case (.object(let members), .object):
            return .object(members.map { key, value in
                guard let mine = rendered[key] else { return (key, value) }
                return (key, stripped(value, rendered: mine, kind: kind, path: path + [key]))
            })
        case (.array(let items), .array(let mine)):
            switch ListTypes.type(kind: kind, path: path) {
            case .atomic:
                return server
            case .set:
                return .array(items.filter { mine.contains($0) })
            case .map(let keys):
                return .array(items.compactMap { item in
                    guard let match = mine.first(where: { entry in keys.allSatisfy { key(item, $0) == key(entry, $0) } }) else {
                        return isInjected(item, path: path) ? item : nil
                    }
                    return stripped(item, rendered: match, kind: kind, path: path)
                })
            }
        default:
            return server
        }
    }

    /// A key field's value, with the schema's default when left out (a port's protocol is TCP).
    static func key(_ entry: JSONValue, _ name: String) -> JSONValue? {
        entry[name] ?? ListTypes.keyDefaults[name].map { .string($0) }
    }

    static func isInjected(_ entry: JSONValue, path: [String]) -> Bool {
        ["containers", "initContainers"].contains(path.last ?? "") && entry["name"]?.stringValue.map(injected.contains) == true
    }
}
