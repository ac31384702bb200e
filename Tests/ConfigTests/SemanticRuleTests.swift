import Config
import Foundation
import Testing

/// Each semantic rule has a stable id, a summary, and corpus cases (Fixtures/invalid/rNNN-*.yaml) that fire it;
/// the warning-only rules are tested here.
struct SemanticRuleTests {
    @Test func rulesHaveUniqueStableIdsAndSummaries() {
        let ids = SemanticRules.all.map(\.id)
        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy { $0.range(of: "^KILN-R[0-9]{3}$", options: .regularExpression) != nil })
        #expect(SemanticRules.all.allSatisfy { !$0.summary.isEmpty && !$0.reference.isEmpty })
    }

    @Test func everyErrorRuleHasACorpusCase() throws {
        let files = Paths.yamlFiles(in: Paths.invalid)
        let warningOnly: Set = ["KILN-R013", "KILN-R019"]
        for rule in SemanticRules.all where !warningOnly.contains(rule.id) {
            let prefix = "r" + rule.id.suffix(3)
            #expect(files.contains { $0.hasPrefix(prefix) }, "no corpus case for \(rule.id)")
        }
    }

    @Test func fipsOnAWSWarnsAboutFIPSEndpoints() {
        let base = minimalConfig + "fips: true\nistio:\n  enabled: true\n  install: true\nautoscaler:\n  cloud_provider: aws\n  aws:\n    region: us-west-2\n"
        let report = validate(base)
        #expect(codes(report) == ["KILN-R013"])
        #expect(report.isValid)
        let fixed = validate(base + "global_pod_environment:\n  - name: AWS_USE_FIPS_ENDPOINT\n    value: \"true\"\n")
        #expect(fixed.diagnostics.isEmpty)
    }

    @Test func mixpanelTokenIsDeprecated() {
        let report = validate(minimalConfig + "mixpanel:\n  enabled: false\n  token: abc\n")
        #expect(codes(report) == ["KILN-R019"])
        #expect(report.diagnostics[0].location?.line == 11)
        #expect(!DiagnosticsText.of(report).contains("abc"))
    }

    @Test func fipsWithCustomerIstioIsAWarning() {
        let report = validate(minimalConfig + "fips: true\nistio:\n  enabled: true\n  install: false\n")
        #expect(codes(report) == ["KILN-R012"])
        #expect(report.isValid)
    }

    @Test func autoDiscoveryTagsMakeClusterNameIgnored() {
        let report = validate(minimalConfig + "autoscaler:\n  auto_discovery:\n    cluster_name: acme\n    tags: [my.tag]\n  groups: []\n")
        #expect(codes(report) == ["KILN-R016"])
        #expect(report.isValid)
    }

    @Test func olderSchemaStopsBeforeTheRulesOfTheNewOne() {
        // A 1.0-era config is full of keys that 1.14 does not know; one clear error beats fifty.
        let report = validate("schema: '1.0'\nname: x\ningress_controller:\n  create: true\n")
        #expect(codes(report) == ["KILN-C001"])
        #expect(report.diagnostics[0].message.contains("1.0"))
        #expect(report.diagnostics[0].help?.contains("kiln migrate") == true)
    }
}

import Diagnostics

enum DiagnosticsText {
    static func of(_ report: ValidationReport) -> String {
        DiagnosticRenderer().text(report.diagnostics, sources: report.sources)
    }
}
