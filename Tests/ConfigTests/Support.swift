import Config
import Diagnostics
import TestSupport

let minimalConfig = TestFixtures.minimalConfig

func validate(_ text: String) -> ValidationReport {
    ConfigValidation.validate(ConfigFile.parse(text, name: "test.yaml"))
}

func codes(_ report: ValidationReport, _ severity: Severity? = nil) -> [String] {
    report.diagnostics.filter { severity == nil || $0.severity == severity }.map(\.code)
}
