import Config
import Diagnostics
import Testing

/// Secret values never appear in messages or source snippets.
struct SecretTests {
    func rendered(_ report: ValidationReport) -> String {
        DiagnosticRenderer().text(report.diagnostics, sources: report.sources)
            + DiagnosticRenderer().json(report.diagnostics)
    }

    @Test func aSecretWithTheWrongFormIsReportedWithoutItsValue() {
        let report = validate(minimalConfig + "grafana_alerts:\n  slack:\n    token: sk-HUNTER2-not-a-bot-token\n")
        #expect(codes(report, .error) == ["KILN-S003"])
        let text = rendered(report)
        #expect(!text.contains("HUNTER2"))
        #expect(text.contains("token: ********"))
        #expect(text.contains("grafana_alerts.slack.token"))
    }

    @Test func aSecretOfTheWrongTypeIsNotEchoed() {
        let report = validate(minimalConfig + "helm:\n  image_registries:\n    - server: quay.io\n      username: me\n      password: [HUNTER2]\n")
        #expect(codes(report, .error) == ["KILN-S001"])
        #expect(!rendered(report).contains("HUNTER2"))
    }

    @Test func secretNamedKeysInFreeFormValuesAreMasked() {
        let view = SecretKeys.isSecret(key: "adminPassword") && SecretKeys.isSecret(key: "license_key")
            && SecretKeys.isSecret(key: "authToken") && !SecretKeys.isSecret(key: "hostname")
        #expect(view)
    }

    @Test func anUnknownKeyNextToASecretDoesNotPrintTheSecretLine() {
        let report = validate(minimalConfig + "zendesk:\n  enabled: true\n  token: ZD-SECRET-123\n  tokn: ZD-SECRET-456\n")
        // The unknown key's value is not known to be secret, but its name is close to one: the typo is what shows.
        #expect(codes(report, .error) == ["KILN-S007"])
        #expect(!rendered(report).contains("ZD-SECRET-123"))
        #expect(!rendered(report).contains("ZD-SECRET-456"))
        #expect(rendered(report).contains("tokn: ********"))
    }
}
