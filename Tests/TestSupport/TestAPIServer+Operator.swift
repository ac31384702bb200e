import Foundation
import Schema

/// What the operator's tests need beyond the rest: `pods/NAME/log`. A pod's log is the text of its annotation
/// `test.kiln.dev/log` (tests store pods with `put`, as the kubelet would run them), one line per line.
extension TestAPIServer {
    public static let podLogAnnotation = "test.kiln.dev/log"

    /// The log of a stored pod (404 when there is none), streamed as the API server streams it.
    func podLog(_ resource: ServedResource, namespace: String?, name: String) -> HTTPServerResponse {
        let pod = state.withLock { store[ObjectStore.key(resource, namespace: namespace, name: name)] }
        guard resource.kind == "Pod", let pod else {
            let (code, body) = APIStatus.notFound(resource, name)
            return .json(code, JSONDocument(text: body.jsonText))
        }
        let text = pod["metadata"]?["annotations"]?[Self.podLogAnnotation]?.stringValue ?? ""
        return .stream(200) { writer in
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) where !line.isEmpty {
                guard writer.write(line + "\n") else { return }
            }
        }
    }
}
