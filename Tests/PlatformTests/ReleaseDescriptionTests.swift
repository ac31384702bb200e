import Config
import Foundation
@testable import Platform
import Schema
import Testing
import TestSupport

/// A release is described in one place: what its description names exists, and its values schema is a file.
struct ReleaseDescriptionTests {
    @Test func everyValuesSchemaFileNamesAReleaseAndCompiles() throws {
        #expect(!ValuesSchemaFiles.releasesWithFiles.isEmpty)
        for name in ValuesSchemaFiles.releasesWithFiles {
            let release = try #require(ReleaseCatalog.release(name), "schemas/values/\(name).schema.json names no release")
            let schema = try JSONSchema(text: release.valuesSchema)
            // The common keys and the release's own are both there.
            #expect(schema.root.property("replicaCount") != nil, "\(name)")
        }
    }

    @Test func aReleaseWithoutAFileAcceptsTheCommonKeysOnly() throws {
        let schema = try JSONSchema(text: try #require(ReleaseCatalog.release("mlflow")).valuesSchema)
        #expect(schema.root.property("replicaCount") != nil)
        #expect(schema.root.property("controller") == nil)
    }

    @Test func dependenciesNameReleases() {
        for release in ReleaseCatalog.all {
            for dependency in release.dependencies {
                #expect(ReleaseCatalog.release(dependency) != nil, "\(release.name) depends on unknown \(dependency)")
            }
        }
    }

    @Test func workloadNamesAreUniqueInTheirReleaseAndPortsAndRoutesAreWellFormed() {
        for release in ReleaseCatalog.all {
            var seen = Set<String>()
            for workload in release.workloads {
                #expect(seen.insert(workload.name).inserted, "two workloads of \(release.name) are named \(workload.name)")
                for port in workload.ports { #expect((1...65535).contains(port.port) && !port.name.isEmpty, "\(workload.name)") }
                if let route = workload.route {
                    #expect(route.hasPrefix("/") && !workload.ports.isEmpty, "\(workload.name) is routed at \(route) but serves nothing")
                }
            }
        }
    }

    @Test func secretsReadByAReleaseAreSchemaKeys() {
        for release in ReleaseCatalog.all {
            for secret in release.secrets {
                #expect(InstallConfigSchema.shared.node(at: KeyPath(parsing: secret.path)) != nil,
                        "\(release.name) reads \(secret.path), which schema 1.14 does not have")
            }
        }
    }

    /// The API server's rights are declared where the release is: the ones the docs' services need.
    @Test func releasesThatCallTheAPIDeclareTheirRules() throws {
        #expect(try #require(ReleaseCatalog.release("nucleus")).access.contains { $0.resources.contains("pods") })
        #expect(try #require(ReleaseCatalog.release("mlflow")).access.isEmpty)
        #expect(try #require(ReleaseCatalog.release("keycloak")).opensHTTPS)
    }
}
