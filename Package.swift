// swift-tools-version:6.0
// kiln: a declarative infra-and-config compiler for installing an ML platform on Kubernetes.
// Modules follow the pipeline (see ../shared/design/ARCHITECTURE.md); dependencies point down it.
import PackageDescription

let package = Package(
    name: "kiln",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "kiln", targets: ["kiln"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // The operator's server-side pieces (see README, "Operator": why these and what they cost to build).
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.1"),
    ],
    targets: [
        // libyaml from Debian's libyaml-dev; libcurl (with OpenSSL) from libcurl4-openssl-dev.
        .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
        // libcurl's headers from libcurl4-openssl-dev; the library itself is loaded on first use (Sources/CCurl), not linked.
        // DWARF 4 like the Swift objects: valgrind (callgrind, for the benchmark figures) cannot read clang's default DWARF 5 here.
        .target(name: "CCurl", cSettings: [.unsafeFlags(["-gdwarf-4"])], linkerSettings: [.linkedLibrary("dl")]),
        // SHA-256 from OpenSSL's libcrypto (libssl-dev, which libcurl4-openssl-dev brings).
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        // OpenSSL's TLS, for the test API server only (kiln itself speaks TLS through libcurl).
        .systemLibrary(name: "CSSL", pkgConfig: "libssl", providers: [.apt(["libssl-dev"])]),

        // Leaves: diagnostics shared by every stage, the YAML layer, the JSON Schema validator.
        .target(name: "Diagnostics"),
        .target(name: "YAML", dependencies: ["CYAML", "Diagnostics"]),
        .target(name: "Schema", dependencies: ["Diagnostics"]),
        // The Kubernetes API: HTTP over libcurl, kubeconfig, discovery, get/list/apply/delete.
        .target(name: "Kube", dependencies: ["CCurl", "YAML", "Schema"]),

        // The install config: loading, schema checks, semantic rules. Embeds schemas/ and presets/.
        .target(
            name: "Config",
            dependencies: ["Diagnostics", "YAML", "Schema"],
            plugins: [.plugin(name: "EmbedResources")]
        ),

        // The release catalog, intents and sizing.
        .target(name: "Platform", dependencies: ["Config", "Diagnostics", "Schema"]),

        // Kubernetes objects: the object model and builders, rendering, output layouts.
        .target(name: "Manifests", dependencies: ["Platform", "Config", "Diagnostics", "Schema", "YAML"]),

        // Apply: waves, server-side apply, readiness, ApplySet pruning, diff, drift, status.
        .target(name: "Apply", dependencies: ["Kube", "Manifests", "Schema", "CCrypto"]),

        // Offline bundles: image inventory, digest locks and pinning, OCI image layout, streamed tar, parts, verify.
        // Beside Apply, not above it: it reads the render, never a cluster. Its registry client (OCI distribution pull
        // and push) speaks HTTP through Kube's libcurl transport.
        .target(name: "Bundle", dependencies: ["Manifests", "Platform", "Config", "Schema", "Diagnostics", "CCrypto", "Kube"]),

        // Preflight checks of a cluster, upgrade plans and the adoption of a Helm install: above Apply, they read the
        // render, the sizing plan and the live cluster (and, offline, the private registry through Bundle's client).
        .target(name: "Preflight", dependencies: ["Apply", "Bundle", "Kube", "Manifests", "Platform", "Config", "Schema"]),

        // The operator: a controller that keeps Platform resources reconciled through Apply (leader election, drift,
        // status), with logs, metrics and the health endpoints from the server ecosystem's packages.
        .target(
            name: "Operator",
            dependencies: ["Apply", "Kube", "Manifests", "Platform", "Config", "Diagnostics", "Schema",
                           .product(name: "Logging", package: "swift-log"),
                           .product(name: "Metrics", package: "swift-metrics"),
                           .product(name: "Prometheus", package: "swift-prometheus"),
                           .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                           .product(name: "FlyingSocks", package: "FlyingFox")]
        ),

        // The command line: thin commands over the libraries.
        // Release builds on Linux link the Swift runtime and Foundation statically: a dozen fewer shared objects to
        // map and relocate at every start (about 8 ms of `kiln version`), and a binary that needs only Debian's
        // libraries (libcurl, libyaml, libcrypto, libc, libstdc++) beside it. Debug builds (and the tests, which
        // link this module) keep the shared runtime.
        .executableTarget(
            name: "kiln",
            dependencies: ["Apply", "Bundle", "Kube", "Manifests", "Platform", "Config", "Diagnostics", "Schema", "Preflight", "Operator",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")],
            // -static-stdlib when compiling too: this module then imports the static SDK's Foundation, whose autolink
            // entries name the archives (ICU, CoreFoundation, …) that a static link needs.
            swiftSettings: [.unsafeFlags(["-static-stdlib"], .when(platforms: [.linux], configuration: .release))],
            linkerSettings: [.unsafeFlags(["-static-stdlib"], .when(platforms: [.linux], configuration: .release))]
        ),

        // Build-time embedding of schemas/ and presets/ into the binary, so kiln runs from any directory.
        .executableTarget(name: "kiln-embed"),
        .plugin(name: "EmbedResources", capability: .buildTool(), dependencies: ["kiln-embed"]),

        // Benchmark (run it, do not test it): `swift run -c release kiln-bench`.
        // Linked as `kiln` is (static runtime in release builds), so its in-process figures are those of the shipped code.
        .executableTarget(
            name: "kiln-bench",
            dependencies: ["Apply", "Bundle", "Kube", "Manifests", "Platform", "Config", "Operator", "TestSupport"],
            swiftSettings: [.unsafeFlags(["-static-stdlib"], .when(platforms: [.linux], configuration: .release))],
            linkerSettings: [.unsafeFlags(["-static-stdlib"], .when(platforms: [.linux], configuration: .release))]
        ),

        // What several test targets share: the invalid-config corpus reader, paths, a minimal config.
        .target(name: "TestSupport", dependencies: ["Diagnostics", "Schema", "Kube", "CSSL"], path: "Tests/TestSupport"),

        .testTarget(name: "DiagnosticsTests", dependencies: ["Diagnostics"]),
        .testTarget(name: "YAMLTests", dependencies: ["YAML"]),
        .testTarget(name: "SchemaTests", dependencies: ["Schema", "TestSupport"]),
        .testTarget(name: "ConfigTests", dependencies: ["Config", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "PlatformTests", dependencies: ["Platform", "Config", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "ManifestsTests", dependencies: ["Manifests", "Platform", "Config", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "KubeTests", dependencies: ["Kube", "Schema", "TestSupport"]),
        .testTarget(name: "ApplyTests", dependencies: ["Apply", "Kube", "Manifests", "Platform", "Config", "Schema", "TestSupport"]),
        .testTarget(name: "BundleTests", dependencies: ["Bundle", "Kube", "Manifests", "Platform", "Config", "Schema", "TestSupport"]),
        .testTarget(name: "PreflightTests", dependencies: ["Preflight", "Apply", "Bundle", "Kube", "Manifests", "Platform", "Config", "Schema", "TestSupport"]),
        .testTarget(name: "KilnTests", dependencies: ["kiln", "TestSupport"]),
        .testTarget(name: "OperatorTests", dependencies: ["Operator", "Apply", "Kube", "Manifests", "Platform", "Config", "Schema", "TestSupport"]),
    ]
)
