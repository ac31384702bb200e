import Config

private typealias R = ResourceAmounts
private let reference = "admin_guide/configuration/installer-configuration.txt"

/// Image building and caching, autoscaling, devices and storage drivers: what executions need on the nodes.
enum ComputeServices {
    static let all = [imageBuilder, imageCache, clusterAutoscaler, nvidiaDevicePlugin, neuronDevicePlugin,
                      smarterDeviceManager, nfsProvisioner, ebsDriver, efsDriver, awsCloudController, dataPlaneAgent]

    /// BuildKit runs in the compute namespace; its cache volume follows `image_building.cache_storage_size`.
    static let imageBuilder = Release(
        "hephaestus", .core, "Environment image builder (ImageBuilder V3: Hephaestus controller and BuildKit)",
        dependencies: ["docker-registry"],
        workloads: [
            .controller("hephaestus-manager", image: .domino("hephaestus"), requests: R("250m", "256Mi"), limits: R("500m", "512Mi")).serving([("http", 8080)]),
            // Builds run on the build nodes of the compute pool (`domino/build-node: true`), not on platform nodes.
            Workload("hephaestus-buildkit", .statefulSet, image: .mirrored("moby.buildkit", "v0.18.2"), requests: R("1", "2Gi"),
                     limits: R("4", "8Gi"), nodes: .compute, volume: .init(.gi(100)), privileged: true).sizingVolume(by: .buildCache).serving([("buildkit", 1234)]),
        ],
        reference: "admin_guide/troubleshooting/compute-environment-build-issues.txt") { _ in .on("always installed with a control plane") }
        .accessing([APIRule(["", "apps"], ["pods", "statefulsets", "secrets"], ["get", "list", "watch", "create", "update", "delete"])])
        .reachingOut()
        .readingSecrets([.init("azure-client-secret", "image_building.cloud_registry_auth.azure.client_secret")])

    static let imageCache = Release(
        "image-cache", .core, "Image caching: an API and a privileged agent pre-pulling popular images on compute nodes",
        planes: .all, requires: ["mongodb"],
        workloads: [
            .service("image-cache-api", image: .domino("image-cache"), replicas: 3, requests: R("100m", "256Mi"),
                     limits: R("500m", "512Mi")).serving([("http", 5000)]),
            .daemon("image-cache-agent", image: .domino("image-cache-agent"), nodes: .compute, requests: .zero, limits: .zero,
                    privileged: true),
        ],
        reference: "admin_guide/operations/image-caching-services.txt") { config in .key("image_caching.enabled", config) }
        .accessing([.readWorkloads])
        .reachingOut()

    static let clusterAutoscaler = Release(
        "cluster-autoscaler", .core, "Cluster autoscaler for the compute node groups",
        planes: .all,
        workloads: [.controller("cluster-autoscaler", image: .mirrored("autoscaling.cluster-autoscaler", "v1.32.0"),
                                requests: R("100m", "300Mi"), limits: R("200m", "600Mi"))],
        reference: reference
    ) { config in
        config.filled(.autoscalerCloudProvider).map { .on("autoscaler.cloud_provider: \($0)") } ?? .off("no autoscaler.cloud_provider")
    }
        .accessing([.readWorkloads, APIRule([""], ["nodes", "pods/eviction", "events", "configmaps"], ["get", "list", "watch", "update", "patch", "create", "delete"])])

    static let nvidiaDevicePlugin = Release(
        "nvidia-device-plugin", .core, "NVIDIA device plugin: exposes GPUs on GPU nodes",
        planes: .all,
        workloads: [.daemon("nvidia-device-plugin", image: .mirrored("nvidia.k8s-device-plugin", "v0.17.0"), nodes: .gpu,
                            requests: R("50m", "64Mi"), limits: R("100m", "128Mi"))],
        reference: "admin_guide/configuration/core-catalog.txt") { config in .key("gpu.enabled", config) }

    static let neuronDevicePlugin = Release(
        "neuron-device-plugin", .core, "AWS Neuron device plugin (aws.amazon.com/neuron)",
        planes: .all,
        workloads: [.daemon("neuron-device-plugin", image: .mirrored("neuron.neuron-device-plugin", "2.22.4.0"), nodes: .neuron,
                            requests: R("50m", "64Mi"), limits: R("100m", "128Mi"))],
        reference: "user_guide/customize-environments/use-external-images/aws-accelerators.txt") { config in .key("neuron.enabled", config) }

    /// Requests and limits as observed on a node.
    static let smarterDeviceManager = Release(
        "smarter-device-manager", .core, "Exposes smarter-devices/fuse to executions",
        planes: .all,
        workloads: [.daemon("smarter-device-manager", image: .mirrored("smarter-project.smarter-device-manager", "v1.20.11"),
                            nodes: .all, requests: R("10m", "15Mi"), limits: R("100m", "15Mi"), privileged: true)],
        reference: "user_guide/customize-environments/use-external-images/aws-accelerators.txt") { _ in .on("always installed") }

    static let nfsProvisioner = Release(
        "nfs-client-provisioner", .core, "NFS provisioner backing the shared storage class",
        planes: .all,
        workloads: [.controller("nfs-client-provisioner", image: .mirrored("sig-storage.nfs-subdir-external-provisioner", "v4.0.2"),
                                requests: R("50m", "64Mi"), limits: R("100m", "128Mi"))],
        reference: "admin_guide/platform-management/manage-data/project-file-storage/index.txt"
    ) { config in
        config.string(.storageClassesSharedType) == "nfs" && config.bool(.storageClassesSharedCreate)
            ? .on("storage_classes.shared.type: nfs (created)") : .off("no created nfs shared class")
    }
        .accessing([APIRule([""], ["persistentvolumes", "persistentvolumeclaims", "events"], ["get", "list", "watch", "create", "update", "delete"])])

    static let ebsDriver = Release(
        "aws-ebs-csi-driver", .core, "EBS CSI driver for the ebs block class (node DaemonSet as observed on EKS)",
        planes: .all,
        workloads: [
            .service("aws-ebs-csi-driver-controller", image: .mirrored("ebs-csi-driver.aws-ebs-csi-driver", "v1.38.1"), replicas: 2,
                     requests: R("30m", "80Mi"), limits: R("200m", "456Mi")),
            .daemon("aws-ebs-csi-driver-node", image: .mirrored("ebs-csi-driver.aws-ebs-csi-driver", "v1.38.1"), nodes: .all,
                    requests: R("30m", "80Mi"), limits: R("200m", "456Mi"), privileged: true),
        ],
        reference: "user_guide/customize-environments/use-external-images/aws-accelerators.txt"
    ) { config in
        config.string(.storageClassesBlockType) == "ebs" ? .on("storage_classes.block.type: ebs") : .off("no ebs block class")
    }
        .accessing([APIRule(["", "storage.k8s.io"], ["persistentvolumes", "persistentvolumeclaims", "nodes", "volumeattachments", "csinodes"], ["get", "list", "watch", "create", "update", "patch", "delete"])])

    static let efsDriver = Release(
        "aws-efs-csi-driver", .core, "EFS CSI driver for the efs shared class (node DaemonSet as observed on EKS)",
        planes: .all,
        workloads: [
            .service("aws-efs-csi-driver-controller", image: .mirrored("efs-csi-driver.aws-efs-csi-driver", "v2.1.4"), replicas: 2,
                     requests: R("20m", "40Mi"), limits: R("200m", "200Mi")),
            .daemon("aws-efs-csi-driver-node", image: .mirrored("efs-csi-driver.aws-efs-csi-driver", "v2.1.4"), nodes: .all,
                    requests: R("20m", "40Mi"), limits: R("200m", "200Mi"), privileged: true),
        ],
        reference: "user_guide/customize-environments/use-external-images/aws-accelerators.txt"
    ) { config in
        config.string(.storageClassesSharedType) == "efs" ? .on("storage_classes.shared.type: efs") : .off("no efs shared class")
    }
        .accessing([APIRule(["", "storage.k8s.io"], ["persistentvolumes", "persistentvolumeclaims", "nodes", "csinodes"], ["get", "list", "watch", "create", "update", "patch", "delete"])])

    static let awsCloudController = Release(
        "aws-cloud-controller-manager", .core, "AWS cloud controller manager (self-managed Kubernetes on AWS)",
        workloads: [.controller("aws-cloud-controller-manager", image: .mirrored("provider-aws.cloud-controller-manager", "v1.32.1"),
                                requests: R("200m", "256Mi"), limits: R("500m", "512Mi"))],
        reference: "admin_guide/configuration/core-catalog.txt") { _ in .off("only through release_overrides.aws-cloud-controller-manager.installed") }

    /// The local data plane's agent. Larger profiles use the resources the data-plane sizing page gives.
    static let dataPlaneAgent = Release(
        "data-plane-agent", .core, "Agent of the control plane's local data plane",
        namespace: .compute, requires: ["nucleus", "rabbitmq-ha"],
        workloads: [.controller("data-plane-agent", image: .domino("data-plane-agent"), requests: R("1", "1Gi"), limits: R("2", "2Gi"))
            .serving([("http", 8080)])],
        reference: "admin_guide/domino-infrastructure/sizing-the-infrastructure/size-data-plane-agent.txt"
    ) { _ in .on("always installed with a control plane (its local data plane)") }
        .accessing([APIRule(["", "batch", "apps"], ["pods", "pods/log", "services", "persistentvolumeclaims", "configmaps", "secrets", "jobs"], ["get", "list", "watch", "create", "update", "patch", "delete"])])
}
