import Config

/// The images the platform runs for users rather than for itself: the executor and the sidecars of runs and model
/// APIs, and the default compute environments. They are part of the install (an offline bundle must carry them, and a
/// private registry must serve them), so they are rendered with the platform (`domino-execution-images`).
///
/// Names as the docs show them in pod events and the environment catalog: the executor and the run proxy
/// (admin_guide/troubleshooting/workspaces-and-jobs-issues.txt), the model API sidecars
/// (admin_guide/troubleshooting/model-api-issues.txt), the standard and GPU environments
/// (user_guide/customize-environments/manage-compute-environments/8-compute-environment-catalog.txt). The docs' tags
/// come from older releases for the sidecars; the executor follows the platform version like every vendor component.
public struct ExecutionImage: Sendable {
    /// What it is for, as the key of the rendered list (`executor`, `model-fluent-bit`, `standard-environment`).
    public let role: String
    public let image: Image
    /// The central-configuration record that names it, where the docs give one.
    public let record: String?
    /// Present only when the config turns it on (the GPU environment with `gpu.enabled`).
    let when: (@Sendable (ConfigView) -> Bool)?

    public func isUsed(by config: ConfigView) -> Bool { when?(config) ?? true }

    public static let all: [ExecutionImage] = [
        ExecutionImage(role: "executor", image: .domino("executor"), record: nil, when: nil),
        ExecutionImage(role: "run-proxy", image: .mirrored("openresty.openresty", "1.21.4.1-6-buster-359055"), record: nil, when: nil),
        ExecutionImage(role: "model-fluent-bit", image: .mirrored("fluent.fluent-bit", "1.9.4-358991"),
                       record: "com.cerebro.domino.modelmanager.fluentBit.image", when: nil),
        ExecutionImage(role: "model-logrotate", image: .upstreamDomino("logrotate", "3.16-351989-357437"),
                       record: "com.cerebro.domino.modelmanager.logrotate.image", when: nil),
        ExecutionImage(role: "model-harness-proxy", image: .domino("harness-proxy"), record: nil, when: nil),
        ExecutionImage(role: "standard-environment", image: .upstreamDomino("domino-standard-environment",
                                                                            "ubuntu22-py3.10-r4.5-domino6.1-standard"),
                       record: nil, when: nil),
        ExecutionImage(role: "gpu-environment", image: .upstreamDomino("domino-gpu-environment", "ubuntu22-py3.10-domino6.1-gpu"),
                       record: nil, when: { $0.bool(.gpuEnabled) }),
    ]
}

extension Image {
    /// A vendor image with a fixed tag (environments and sidecars the docs name with their tags).
    static func upstreamDomino(_ component: String, _ tag: String) -> Image {
        Image(repository: "quay.io/domino/\(component)", tags: ["*": tag])
    }
}
