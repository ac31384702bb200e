import Config
import Testing

/// Scalars are typed by the schema, not by YAML 1.1 guessing.
struct ScalarTypingTests {
    @Test func noIsAStringWhereTheSchemaWantsAString() {
        let report = validate(minimalConfig.replacingOccurrences(of: "name: acme", with: "name: no"))
        #expect(report.diagnostics.isEmpty, "\(report.diagnostics.map(\.message))")
    }

    @Test func schemaVersionWrittenAsAPlainNumberIsTheString() {
        let report = validate(minimalConfig.replacingOccurrences(of: "schema: \"1.14\"", with: "schema: 1.14"))
        #expect(report.isValid)
    }

    @Test func canonicalBooleansAreAccepted() {
        #expect(validate(minimalConfig + "ssl_enabled: false\nssl_redirect: false\n").diagnostics.isEmpty)
    }

    @Test func yaml11BooleanIsAcceptedWithAWarningNamingTheCanonicalForm() throws {
        let report = validate(minimalConfig + "ssl_redirect: yes\nistio:\n  enabled: off\n")
        #expect(report.isValid)
        let warnings = report.diagnostics.filter { $0.severity == .warning }
        #expect(warnings.map(\.code) == ["KILN-S011", "KILN-S011"])
        #expect(warnings[0].message.contains("`true`"))
        #expect(warnings[1].message.contains("`false`"))
        #expect(warnings[1].path == "istio.enabled")
        #expect(!report.passes(strict: true))
    }

    @Test func aQuotedBooleanIsAStringAndRefused() {
        let report = validate(minimalConfig + "ssl_enabled: \"yes\"\n")
        #expect(codes(report, .error) == ["KILN-S001"])
    }

    @Test func numbersAreNumbersOnlyWhereTheSchemaSaysSo() {
        #expect(validate(minimalConfig + "email_notifications:\n  port: 587\n").isValid)
        #expect(codes(validate(minimalConfig + "email_notifications:\n  port: \"587\"\n"), .error) == ["KILN-S001"])
        // An env value that looks like a number stays the string it is.
        #expect(validate(minimalConfig + "global_pod_environment:\n  - name: N\n    value: 0755\n").isValid)
    }
}

/// `${env:NAME}` / `${file:PATH}` stand for values resolved later: their form is not checked, their type is.
struct ValueReferenceTests {
    @Test func referencesAreRecognised() {
        #expect(ValueReference.isReference("${env:SLACK_TOKEN}"))
        #expect(ValueReference.isReference("${file:/run/secrets/x}"))
        #expect(!ValueReference.isReference("${env:}"))
        #expect(!ValueReference.isReference("${env:A-B}"))
        #expect(!ValueReference.isReference("$SLACK_TOKEN"))
    }

    @Test func aReferenceSkipsTheFormCheckButNotTheTypeCheck() {
        #expect(validate(minimalConfig + "grafana_alerts:\n  slack:\n    token: ${env:SLACK_TOKEN}\n").isValid)
        #expect(!validate(minimalConfig + "grafana_alerts:\n  slack:\n    token: not-a-bot-token\n").isValid)
        #expect(codes(validate(minimalConfig + "ssl_enabled: ${env:TLS}\n"), .error) == ["KILN-S001"])
    }
}
