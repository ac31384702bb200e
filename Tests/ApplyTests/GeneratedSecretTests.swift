import Apply
import Foundation
import Kube
import Manifests
import Schema
import TestSupport
import Testing

/// The passwords the docs tell admins to read from Secrets (`keycloak-http`/password, `grafana`/admin-password,
/// `domino-admin-toolkit-http`/webui-password: admin_guide/authentication/keycloak-set-up.txt,
/// admin_guide/operations/monitoring/grafana/access_grafana.txt, admin_guide/admin-toolkit.txt) exist after the first
/// apply, are generated once, and are never printed.
@Suite(.serialized)
struct GeneratedSecretTests {
    static let secrets = [("domino-platform", "keycloak-http", "password"), ("domino-platform", "grafana", "admin-password"),
                          ("domino-platform", "domino-admin-toolkit-http", "webui-password")]

    func value(_ server: TestAPIServer, _ namespace: String, _ name: String, _ key: String) -> String? {
        guard let encoded = server.object("v1/secrets/\(namespace)/\(name)")?["data"]?[key]?.stringValue,
              let data = Data(base64Encoded: encoded) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    @Test func theFirstApplyGeneratesEachValueOnceAndReappliesKeepIt() async throws {
        let server = try TestAPIServer()
        defer { server.stop() }
        let result = render("on-prem.yaml")
        let events = EventLog()
        let first = try await manager(server, events: events).apply(result, inventory: inventory, options: fastOptions())
        #expect(first.generatedKeys == Self.secrets.count)
        var values: [String] = []
        for (namespace, name, key) in Self.secrets {
            let generated = try #require(value(server, namespace, name, key), "\(name)/\(key) holds a value")
            #expect(generated.count == 32 && generated.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) })
            values.append(generated)
            // Owned by the generator, not by kiln's apply, so kiln's next apply (which sends no data) keeps it.
            let managers = server.object("v1/secrets/\(namespace)/\(name)")?["metadata"]?["managedFields"]?.arrayValue ?? []
            #expect(managers.contains { $0["manager"]?.stringValue == "kiln-secret-generator" && $0["operation"]?.stringValue == "Update" })
        }
        #expect(Set(values).count == values.count, "each Secret gets its own value")
        // The events name the keys, never the values.
        let described = events.all.map { "\($0)" }.joined(separator: "\n")
        #expect(values.allSatisfy { !described.contains($0) })
        #expect(events.all.contains { if case .generated(let ref, let keys) = $0 { ref.name == "grafana" && keys == ["admin-password"] } else { false } })

        let revision = server.resourceVersion
        let second = try await manager(server).apply(result, inventory: inventory, options: fastOptions())
        #expect(second.generatedKeys == 0)
        #expect(second.unchanged == result.objects.count)
        #expect(server.resourceVersion == revision, "nothing was written again")
        for ((namespace, name, key), before) in zip(Self.secrets, values) {
            #expect(value(server, namespace, name, key) == before, "\(name)/\(key) never changes")
        }
    }

    @Test func aValueAnAdminSetFirstIsKeptAndADryRunWritesNothing() async throws {
        let server = try TestAPIServer()
        defer { server.stop() }
        let result = render("on-prem.yaml")
        let events = EventLog()
        var dryRun = fastOptions()
        dryRun.dryRun = true
        let planned = try await manager(server, events: events).apply(result, inventory: inventory, options: dryRun)
        #expect(planned.generatedKeys == Self.secrets.count, "a dry run says what the first apply generates")
        #expect(server.object("v1/secrets/domino-platform/grafana") == nil)

        // The admin creates Grafana's Secret before the install (the docs let them choose the password).
        let admin = manager(server).client
        _ = try await admin.apply(try JSONReader.parse(#"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"domino-platform"}}"#))
        let chosen = Data("chosen-by-the-admin".utf8).base64EncodedString()
        _ = try await admin.create(try JSONReader.parse(
            #"{"apiVersion":"v1","kind":"Secret","metadata":{"name":"grafana","namespace":"domino-platform"},"data":{"admin-password":""# + "\(chosen)\"}}"))
        let applied = try await manager(server).apply(result, inventory: inventory, options: fastOptions())
        #expect(applied.generatedKeys == Self.secrets.count - 1)
        #expect(value(server, "domino-platform", "grafana", "admin-password") == "chosen-by-the-admin")
        #expect(value(server, "domino-platform", "keycloak-http", "password")?.count == 32)
    }
}
