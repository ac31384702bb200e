import Foundation
import Schema

extension KubeClient {
    /// A pod's log, line by line, as `kubectl logs` reads it (`pods/NAME/log`); with `follow`, the stream goes on as
    /// the container writes, until the consumer stops or the pod ends.
    public func podLog(namespace: String, name: String, container: String? = nil, follow: Bool = false,
                       tailLines: Int? = nil) async throws -> AsyncThrowingStream<String, Error> {
        var parameters: [String] = []
        if let container { parameters.append("container=\(Self.escape(container))") }
        if follow { parameters.append("follow=true") }
        if let tailLines { parameters.append("tailLines=\(tailLines)") }
        let path = "/api/v1/namespaces/\(namespace)/pods/\(name)/log" + (parameters.isEmpty ? "" : "?" + parameters.joined(separator: "&"))
        let ref = ObjectReference(apiVersion: "v1", kind: "Pod", namespace: namespace, name: name)
        let (head, body) = try await http.stream(HTTPRequest("GET", target.server + path, headers: [("Accept", "*/*")]))
        let lines = LineReader(body)
        guard head.status == 200 else {
            var text: [UInt8] = []
            while let line = try await lines.next(), text.count < 1 << 16 { text += Array(line.utf8) }
            try check(HTTPResponse(status: head.status, headers: head.headers, body: text), ref)
            throw KubeError(status: head.status, reason: "", message: "the log was refused", object: ref.description, conflictManagers: [])
        }
        return AsyncThrowingStream(unfolding: { try await lines.next() })
    }
}
