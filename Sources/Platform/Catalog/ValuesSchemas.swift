/// The `release_overrides.<release>.chart_values` each release accepts, as JSON Schema text. Every release takes
/// the common keys; releases whose values the reference documents add theirs. Anything else is an error
/// (KILN-P002), so a misspelled value is caught instead of silently ignored.
enum ValuesSchemas {
    /// Keys every release accepts.
    static let common = """
        "replicaCount": {"type": "integer", "minimum": 0},
        "resources": {"$ref": "#/$defs/resources"},
        "nodeSelector": {"type": "object", "additionalProperties": {"type": "string"}},
        "tolerations": {"type": "array", "items": {"type": "object"}},
        "podAnnotations": {"type": "object", "additionalProperties": {"type": "string"}},
        "podLabels": {"type": "object", "additionalProperties": {"type": "string"}},
        "image": {"type": "object", "additionalProperties": false,
                  "properties": {"repository": {"type": "string"}, "tag": {"type": "string"}}}
        """

    static let definitions = """
        "resources": {"type": "object", "additionalProperties": false,
                      "properties": {"requests": {"$ref": "#/$defs/amounts"}, "limits": {"$ref": "#/$defs/amounts"}}},
        "amounts": {"type": "object", "additionalProperties": false,
                    "properties": {"cpu": {"type": ["string", "number"], "pattern": "^[0-9]+(\\\\.[0-9]+)?m?$"},
                                   "memory": {"type": "string", "pattern": "^[0-9]+(\\\\.[0-9]+)?(Ki|Mi|Gi|Ti|k|M|G|T)?$"}}},
        "cidr": {"type": "string", "pattern": "^[0-9]{1,3}(\\\\.[0-9]{1,3}){3}/[0-9]{1,2}$"},
        "stringMap": {"type": "object", "additionalProperties": {"type": "string"}}
        """

    static func schema(_ specific: String = "") -> String {
        """
        {"type": "object", "additionalProperties": false,
         "properties": {\(common)\(specific.isEmpty ? "" : ",\n" + specific)},
         "$defs": {\(definitions)}}
        """
    }

    static let generic = schema()

    /// Every key the per-cloud load-balancer blocks of the deploy pages use (EKS NLB and classic LB, AKS, GKE).
    static let nginxIngress = schema("""
        "controller": {"type": "object", "additionalProperties": false, "properties": {
            "kind": {"enum": ["Deployment", "DaemonSet"]},
            "hostNetwork": {"type": "boolean"},
            "replicaCount": {"type": "integer", "minimum": 0},
            "resources": {"$ref": "#/$defs/resources"},
            "nodeSelector": {"$ref": "#/$defs/stringMap"},
            "tolerations": {"type": "array", "items": {"type": "object"}},
            "podAnnotations": {"$ref": "#/$defs/stringMap"},
            "service": {"type": "object", "additionalProperties": false, "properties": {
                "enabled": {"type": "boolean"},
                "type": {"enum": ["LoadBalancer", "NodePort", "ClusterIP"]},
                "externalTrafficPolicy": {"enum": ["Local", "Cluster"]},
                "annotations": {"$ref": "#/$defs/stringMap"},
                "loadBalancerSourceRanges": {"type": "array", "items": {"$ref": "#/$defs/cidr"}},
                "loadBalancerIP": {"type": "string"},
                "targetPorts": {"type": "object", "additionalProperties": false,
                                "properties": {"http": {"type": "string"}, "https": {"type": "string"}}},
                "nodePorts": {"type": "object", "additionalProperties": false,
                              "properties": {"http": {"type": "integer"}, "https": {"type": "integer"}}}}},
            "config": {"$ref": "#/$defs/stringMap"},
            "extraArgs": {"$ref": "#/$defs/stringMap"}}},
        "networkPolicy": {"type": "object", "additionalProperties": false,
                          "properties": {"ipCidrs": {"type": "array", "items": {"$ref": "#/$defs/cidr"}}}}
        """)

    /// Multi-storage datasets (`config.additionalStorages`).
    static let nucleus = schema("""
        "config": {"type": "object", "additionalProperties": false, "properties": {
            "multiStorageSupportEnabled": {"type": "boolean"},
            "additionalStorages": {"type": "array", "items": {
                "type": "object", "additionalProperties": false, "required": ["name", "mountPath"],
                "properties": {"name": {"type": "string"}, "mountPath": {"type": "string", "pattern": "^/"},
                               "platformPvc": {"type": "string"}, "computePvc": {"type": "string"}}}}}}
        """)

    /// The backup CronJob's schedule and command.
    static let dataImporter = schema("""
        "backups": {"type": "object", "additionalProperties": false, "properties": {"schedule": {"type": "string"}}},
        "backupJobScript": {"type": "string"}
        """)

    static let agent = """
        "agent": {"type": "object", "additionalProperties": false, "properties": {
            "deployment": {"type": "object", "additionalProperties": false,
                           "properties": {"resources": {"$ref": "#/$defs/resources"}}}}}
        """

    static let dataPlaneAgent = schema(agent)

    /// The remote data plane: the agent's resources and the auth proxy's TLS secret.
    static let dataPlane = schema(agent + """
        ,
        "auth-proxy": {"type": "object", "additionalProperties": false, "properties": {
            "config": {"type": "object", "additionalProperties": false, "properties": {
                "nginx": {"type": "object", "additionalProperties": false,
                          "properties": {"tlsSecretName": {"type": "string"}}}}}}}
        """)

    static let costAnalyzer = schema("""
        "kubecostModel": {"type": "object", "additionalProperties": false,
                          "properties": {"federatedStorageConfigSecret": {"type": "string"}}}
        """)
}
