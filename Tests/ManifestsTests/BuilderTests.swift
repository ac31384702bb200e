import Foundation
import TestSupport
import Manifests
import Platform
import Schema
import Testing

/// Builders of kinds no current release renders (Job, namespaced Role and RoleBinding, a standalone claim) produce
/// objects the upstream schemas accept, so they are ready when a release needs them.
struct BuilderTests {
    @Test func unusedBuildersProduceValidObjects() async throws {
        let labels = ["app.kubernetes.io/managed-by": "kiln"]
        var container = PodTemplate.Container(name: "migrate", image: "quay.io/domino/nucleus:6.1.2")
        container.args = ["migrate", "--mongodb"]
        container.requests = ("100m", "128Mi")
        let pod = PodTemplate(labels: labels, serviceAccount: "nucleus", containers: [container])
        let objects = [
            WorkloadObjects.job("nucleus-mongodb-migrations", namespace: "domino-platform", labels: labels, pod: pod, release: "nucleus"),
            PolicyObjects.role("reader", namespace: "domino-platform", labels: labels,
                               rules: [APIRule([""], ["configmaps"], ["get"])], release: "nucleus"),
            PolicyObjects.binding("reader", namespace: "domino-platform", labels: labels, role: "reader", serviceAccount: "nucleus",
                                  serviceAccountNamespace: "domino-platform", release: "nucleus"),
            CoreObjects.persistentVolumeClaim("domino-shared-store-domino-compute", namespace: "domino-compute", labels: labels,
                                              storageClass: "dominoshared", size: "100Gi", accessMode: "ReadWriteMany", release: "nucleus"),
        ]
        #expect(objects.map(\.kind) == ["Job", "Role", "RoleBinding", "PersistentVolumeClaim"])
        #expect(objects[0].json.at("spec.template.spec.restartPolicy") == .string("OnFailure"))
        #expect(objects[2].json.at("roleRef.kind") == .string("Role"))
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var files: [String] = []
        for object in objects {
            let url = dir.appendingPathComponent(object.fileName)
            try ManifestYAML.text(object).write(to: url, atomically: true, encoding: .utf8)
            files.append(url.path)
        }
        let arguments = ["-m", "kubernetes_validate", "--strict", "--quiet", "-k", "1.33.0"] + files
        let result = try #require(await offPool { run("python3", arguments) })
        #expect(result.status == 0, "\(result.output)")
    }
}
