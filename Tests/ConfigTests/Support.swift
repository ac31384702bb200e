import Config
import Diagnostics

/// A minimal valid control-plane config; tests append to it.
let minimalConfig = """
    schema: "1.14"
    name: acme
    version: 6.1.2
    hostname: domino.example.com
    external_docker_registry: registry.example.com/acme
    storage_classes:
      block:
        name: dominodisk

    """

func validate(_ text: String) -> ValidationReport {
    ConfigValidation.validate(ConfigFile.parse(text, name: "test.yaml"))
}

func codes(_ report: ValidationReport, _ severity: Severity? = nil) -> [String] {
    report.diagnostics.filter { severity == nil || $0.severity == severity }.map(\.code)
}
