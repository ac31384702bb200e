import Foundation

/// Places and texts the tests of several modules use.
public enum TestFixtures {
    /// The package root, found from this file so tests run from any directory.
    public static let package = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    public static let examples = package.appendingPathComponent("examples")

    /// A minimal valid control-plane config; tests append to it (its last line is line 8).
    public static let minimalConfig = """
        schema: "1.14"
        name: acme
        version: 6.1.2
        hostname: domino.example.com
        external_docker_registry: registry.example.com/acme
        storage_classes:
          block:
            name: dominodisk

        """
}
