import Diagnostics
import Schema
import YAML

/// `kiln init`: a complete, commented config for a preset, with every value the user must supply left as a
/// `<FILL IN: …>` placeholder that `kiln validate` reports until it is replaced.
public enum ConfigInit {
    public struct Options: Sendable {
        public var preset: String
        public var sets: [String]
        public var offline: Offline?

        public init(preset: String, sets: [String] = [], offline: Offline? = nil) {
            self.preset = preset
            self.sets = sets
            self.offline = offline
        }
    }

    /// `--offline --image-registry HOST[:PORT] [--agent-repository REPO]`.
    public struct Offline: Sendable {
        public var imageRegistry: String
        public var agentRepository: String?

        public init(imageRegistry: String, agentRepository: String? = nil) {
            self.imageRegistry = imageRegistry
            self.agentRepository = agentRepository
        }
    }

    public struct Output: Sendable {
        public let text: String
        /// Problems other than placeholders (a bad `--set`, say). When there are errors, nothing should be written.
        public let diagnostics: [Diagnostic]
        /// Key paths still to fill in.
        public let placeholders: [String]
    }

    public static func generate(_ options: Options) throws -> Output {
        var layers = try PresetCatalog.layers(options.preset)
        if let offline = options.offline { layers.append(offlineLayer(offline)) }
        var diagnostics: [Diagnostic] = []
        var flags: [SetFlag] = []
        for text in options.sets {
            do { flags.append(try SetFlag(text)) } catch {
                diagnostics.append(.error(ConfigCode.badFlag, "\(error)"))
            }
        }
        let layered = LayeredConfig(layers: layers, flags: flags)
        let text = header(options) + YAMLEmitter(comments: { sectionComment($0) }, spaceTopLevelSections: true)
            .emit(InstanceBuilder.node(SchemaOrder.sorted(layered.root, InstallConfigSchema.shared.root)))
        // Check what was written, as a user would: parse the text back.
        let report = ConfigValidation.validate(ConfigFile.parse(text, name: "<generated>"))
        diagnostics += report.diagnostics.filter { $0.code != ConfigCode.placeholder }
        let placeholders = report.diagnostics.filter { $0.code == ConfigCode.placeholder }.map(\.path)
        return Output(text: text, diagnostics: diagnostics, placeholders: placeholders)
    }

    /// The registry's credentials replace the public ones: an air-gapped cluster pulls every image from it.
    static func offlineLayer(_ offline: Offline) -> ConfigLayer {
        var settings: [Member] = [Member(key: "image_registry", value: Instance(.string(offline.imageRegistry)))]
        if let repository = offline.agentRepository {
            settings.append(Member(key: "agent_repository", value: Instance(.string(repository))))
        }
        let registry = Instance(.object([
            Member(key: "server", value: Instance(.string(offline.imageRegistry))),
            Member(key: "username", value: Instance(.string(Placeholder.make("user name for \(offline.imageRegistry)")))),
            Member(key: "password", value: Instance(.string("${env:REGISTRY_PASSWORD}"))),
        ]))
        let root = Instance(.object([
            Member(key: "offline", value: Instance(.object(settings))),
            Member(key: "helm", value: Instance(.object([Member(key: "image_registries", value: Instance(.array([registry])))]))),
        ]))
        return ConfigLayer(kind: .flag, file: nil, source: nil, root: root)
    }

    static func header(_ options: Options) -> String {
        var command = "kiln init --preset \(options.preset)"
        if let offline = options.offline {
            command += " --offline --image-registry \(offline.imageRegistry)"
            if let repository = offline.agentRepository { command += " --agent-repository \(repository)" }
        }
        return """
            # yaml-language-server: $schema=\(InstallConfigSchema.fileName)
            # Install configuration, schema \(InstallConfigSchema.currentVersion), written by `\(command)` (kiln \(KilnVersion.current)).
            # Replace every "<FILL IN: …>" value; `kiln validate` lists the ones left. `kiln explain KEY` documents any key.
            # Secrets are read from the environment (${env:NAME}) or a file (${file:PATH}), never stored here.
            # For editor checks, write the schema beside this file: kiln schema -o \(InstallConfigSchema.fileName)

            """
    }

    /// The first sentence of a top-level section's description, above it.
    static func sectionComment(_ path: [String]) -> [String] {
        guard path.count == 1, let node = InstallConfigSchema.shared.node(at: KeyPath([.key(path[0])])) else { return [] }
        guard let description = SchemaNavigation.applicators(node).lazy.compactMap(\.description).first,
              node.properties.count > 0 || SchemaNavigation.applicators(node).contains(where: { !$0.properties.isEmpty }) else {
            return []
        }
        return [KeyExplanation.firstSentence(description.replacingOccurrences(of: "`", with: ""))]
    }
}
