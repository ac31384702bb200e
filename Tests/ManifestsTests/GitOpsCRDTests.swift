import Foundation
import Manifests
import Schema
import Testing
import TestSupport
import YAML

/// The Flux Kustomizations and Argo CD Applications kiln writes validate against the CRDs Flux and Argo CD install
/// (shared/testdata/gitops-crds), made strict: an `openAPIV3Schema` lets unknown fields through where the API
/// server would drop them, so every schema that lists `properties` (and does not preserve unknown fields) gets
/// `additionalProperties: false` here, and a misspelt or mistyped field fails the test.
struct GitOpsCRDTests {
    static let crds = TestFixtures.package.appendingPathComponent("../shared/testdata/gitops-crds").standardizedFileURL

    /// Validators by "apiVersion kind", one per version the CRDs serve.
    static func validators() throws -> [String: SchemaValidator] {
        var out: [String: SchemaValidator] = [:]
        for file in ["kustomize.toolkit.fluxcd.io_kustomizations.yaml", "argoproj.io_applications.yaml"] {
            let bytes = try Array(Data(contentsOf: crds.appendingPathComponent(file)))
            let parsed = YAMLParser.parse(bytes)
            #expect(parsed.diagnostics.isEmpty, "\(file): \(parsed.diagnostics.map(\.message))")
            for crd in parsed.documents.map(json) where crd["kind"]?.stringValue == "CustomResourceDefinition" {
                let group = crd.at("spec.group")?.stringValue ?? "", kind = crd.at("spec.names.kind")?.stringValue ?? ""
                for version in crd.at("spec.versions")?.arrayValue ?? [] {
                    let schema = try #require(version.at("schema.openAPIV3Schema"), "\(file)")
                    let name = version["name"]?.stringValue ?? ""
                    out["\(group)/\(name) \(kind)"] = SchemaValidator(try JSONSchema(strict(schema)), assertFormats: false)
                }
            }
        }
        return out
    }

    /// YAML → JSON by YAML 1.2's core schema, as the API server reads a manifest: a plain `true` is a boolean,
    /// a plain `15` a number, anything quoted a string.
    static func json(_ node: Node) -> JSONValue {
        switch node.content {
        case .sequence(let items): return .array(items.map(json))
        case .mapping(let pairs): return .object(pairs.map { ($0.name, json($0.value)) })
        case .scalar(let s):
            guard s.isPlain, node.tag == nil else { return .string(s.text) }
            if s.isNull { return .null }
            if ["true", "True", "TRUE"].contains(s.text) { return .bool(true) }
            if ["false", "False", "FALSE"].contains(s.text) { return .bool(false) }
            if s.text.first.map({ $0.isNumber || "+-.".contains($0) }) == true, let n = Double(s.text) { return .number(n) }
            return .string(s.text)
        }
    }

    /// An `openAPIV3Schema` as a JSON Schema that refuses what it does not list.
    static func strict(_ schema: JSONValue) -> JSONValue {
        guard var members = schema.objectValue else { return schema }
        members = members.map { key, value in
            switch key {
            case "properties":
                return (key, .object((value.objectValue ?? []).map { ($0.0, strict($0.1)) }))
            case "items", "not", "additionalProperties":
                return (key, value.objectValue == nil ? value : strict(value))
            case "allOf", "anyOf", "oneOf":
                return (key, .array((value.arrayValue ?? []).map(strict)))
            default:
                return (key, value)
            }
        }
        let object = JSONValue.object(members)
        if object["nullable"]?.boolValue == true, let type = object["type"] {
            members = members.map { $0.0 == "type" ? ("type", .array([type, .string("null")])) : $0 }
        }
        if object["x-kubernetes-int-or-string"]?.boolValue == true, object["anyOf"] == nil {
            members.append(("anyOf", .array([.object([("type", .string("integer"))]), .object([("type", .string("string"))])])))
        }
        if object["properties"] != nil, object["additionalProperties"] == nil,
           object["x-kubernetes-preserve-unknown-fields"]?.boolValue != true {
            members.append(("additionalProperties", .bool(false)))
        }
        return .object(members)
    }

    /// The wrappers as kiln writes them to DIR/<engine>/, read back from the files.
    static func writtenWrappers(_ example: String, _ engine: GitOpsEngine) throws -> [(String, JSONValue)] {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let source = engine == .flux ? "platform" : "https://git.example.com/platform.git"
        _ = try ManifestWriter.write(render(example), to: dir.path, options: .init(
            includeSecrets: true, gitops: GitOpsOptions(engine: engine, path: "clusters/acme", source: source)))
        let folder = dir.appendingPathComponent(engine.rawValue)
        return try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
            .filter { $0 != "kustomization.yaml" }
            .map { name in
                let parsed = YAMLParser.parse(try Array(Data(contentsOf: folder.appendingPathComponent(name))))
                return ("\(engine.rawValue)/\(name)", parsed.documents.first.map(json) ?? .null)
            }
    }

    static func problems(_ wrapper: JSONValue, _ validators: [String: SchemaValidator]) -> [String] {
        let key = "\(wrapper["apiVersion"]?.stringValue ?? "") \(wrapper["kind"]?.stringValue ?? "")"
        guard let validator = validators[key] else { return ["no CRD serves \(key)"] }
        return validator.validate(Instance(json: wrapper)).filter { $0.severity == .error }.map { "\($0.path): \($0.message)" }
    }

    @Test(arguments: ["eks.yaml", "data-plane.yaml"])
    func fluxKustomizationsAndArgoApplicationsMatchTheirCRDs(_ example: String) throws {
        let validators = try Self.validators()
        #expect(validators.keys.sorted() == ["argoproj.io/v1alpha1 Application", "kustomize.toolkit.fluxcd.io/v1 Kustomization"])
        for engine in GitOpsEngine.allCases {
            let wrappers = try Self.writtenWrappers(example, engine)
            #expect(wrappers.count > 5, "\(example) \(engine)")
            for (file, wrapper) in wrappers {
                let found = Self.problems(wrapper, validators)
                #expect(found.isEmpty, "\(example) \(file): \(found)")
            }
        }
    }

    /// The check above would let nothing through only if it can fail: a misspelt field and a string where the
    /// CRD wants a boolean must each be refused.
    @Test func theStrictCRDSchemasRefuseUnknownAndMistypedFields() throws {
        let validators = try Self.validators()
        for engine in GitOpsEngine.allCases {
            let (file, wrapper) = try #require(try Self.writtenWrappers("eks.yaml", engine).first)
            #expect(Self.problems(wrapper, validators).isEmpty, "\(file)")
            let misspelt = Self.editingSpec(wrapper) { $0.append(("sourceRefs", .object([]))) }
            #expect(!Self.problems(misspelt, validators).isEmpty, "\(file) with spec.sourceRefs")
            let nested = Self.editingSpec(wrapper) { spec in
                spec = spec.map { $0.0 == "sourceRef" || $0.0 == "source" ? ($0.0, .object(($0.1.objectValue ?? []) + [("nam", .string("x"))])) : $0 }
            }
            #expect(!Self.problems(nested, validators).isEmpty, "\(file) with an unknown nested field")
            let mistyped = Self.editingSpec(wrapper) { spec in
                spec = spec.map { $0.0 == "prune" || $0.0 == "syncPolicy" ? ($0.0, .string("true")) : $0 }
            }
            #expect(!Self.problems(mistyped, validators).isEmpty, "\(file) with a string for an object or boolean")
        }
    }

    static func editingSpec(_ object: JSONValue, _ edit: (inout [(String, JSONValue)]) -> Void) -> JSONValue {
        .object((object.objectValue ?? []).map { key, value in
            guard key == "spec", var spec = value.objectValue else { return (key, value) }
            edit(&spec)
            return (key, .object(spec))
        })
    }
}
