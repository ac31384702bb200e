import Diagnostics
import Schema
import Testing

/// Messages and typing beyond the official suite (which checks only valid/invalid).
struct SchemaValidatorTests {
    let schema = try! JSONSchema(text: """
        {"type": "object", "additionalProperties": false, "required": ["name"],
         "properties": {
           "name": {"type": "string", "pattern": "^[a-z]+$"},
           "enabled": {"type": "boolean"},
           "mode": {"enum": ["local", "remote"]},
           "count": {"type": "integer", "minimum": 1},
           "token": {"type": "string", "writeOnly": true, "pattern": "^xoxb-"},
           "items": {"type": "array", "items": {"$ref": "#/$defs/item"}}
         },
         "$defs": {"item": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}}}}
        """)

    func check(_ members: [(String, Instance.Content)]) -> [Diagnostic] {
        SchemaValidator(schema).validate(Instance(.object(members.map {
            Member(key: $0.0, keyLocation: SourceLocation(line: 1, column: 1), value: Instance($0.1))
        })))
    }

    /// A default read by dotted path is the one declared at that key (beside a $ref too, as `node(at:)` gives it),
    /// nil where none is; asked again (it is remembered), the answer is the same.
    @Test func defaultsAreReadByDottedPath() throws {
        let schema = try JSONSchema(text: #"""
            {"type": "object", "properties": {
              "a": {"type": "object", "properties": {"b": {"type": "integer", "default": 3}, "c": {"type": "string"}}},
              "d": {"$ref": "#/$defs/flag", "default": false}},
             "$defs": {"flag": {"type": "boolean", "default": true}}}
            """#)
        for _ in 0..<2 {
            #expect(schema.defaultValue(atDottedPath: "a.b") == .number(3))
            #expect(schema.defaultValue(atDottedPath: "d") == .bool(false))
            #expect(schema.defaultValue(atDottedPath: "a.c") == nil)
            #expect(schema.defaultValue(atDottedPath: "a.nope") == nil)
        }
    }

    @Test func untypedScalarsTakeTheTypeTheSchemaWants() {
        #expect(check([("name", .untyped("abc")), ("enabled", .untyped("true")), ("count", .untyped("3"))]).isEmpty)
        #expect(check([("name", .untyped("abc")), ("mode", .untyped("local"))]).isEmpty)
        #expect(check([("name", .untyped("abc")), ("count", .untyped("three"))]).map(\.code) == [SchemaCode.type])
    }

    @Test func unknownKeySuggestsTheClosestKnownKey() {
        let d = check([("name", .string("abc")), ("enabeld", .untyped("true"))])
        #expect(d.map(\.code) == [SchemaCode.unknownKey])
        #expect(d[0].help == "did you mean `enabled`?")
        #expect(d[0].path == "enabeld")
    }

    @Test func enumErrorsListTheAllowedValuesAndGuess() {
        let d = check([("name", .string("abc")), ("mode", .string("remot"))])
        #expect(d.map(\.code) == [SchemaCode.notAllowedValue])
        #expect(d[0].message.contains("`local`, `remote`"))
        #expect(d[0].help == "did you mean `remote`?")
    }

    @Test func missingRequiredKeyIsNamedByPath() {
        let d = check([("items", .array([Instance(.object([]))]))])
        #expect(Set(d.map(\.path)) == ["name", "items[0].id"])
        #expect(d.allSatisfy { $0.code == SchemaCode.required })
    }

    @Test func writeOnlyValuesAreNeverInMessages() {
        let d = check([("name", .string("abc")), ("token", .string("TOPSECRET"))])
        #expect(d.map(\.code) == [SchemaCode.pattern])
        #expect(!d[0].message.contains("TOPSECRET"))
        #expect(d[0].secretValue)
    }

    @Test func keyPathsRoundTrip() {
        let text = "release_overrides.nginx-ingress.chart_values.controller.service.annotations[\"service.beta.kubernetes.io/aws-load-balancer-type\"]"
        #expect(KeyPath(parsing: text).description == text)
        #expect(KeyPath(parsing: "helm.image_registries[0].server").components == [.key("helm"), .key("image_registries"), .index(0), .key("server")])
    }

    @Test func schemasUsingUnsupportedKeywordsAreRefused() {
        #expect(throws: JSONSchema.CompileError.self) { try JSONSchema(text: #"{"unevaluatedProperties": false}"#) }
        #expect(throws: JSONSchema.CompileError.self) { try JSONSchema(text: #"{"$ref": "https://example.com/other.json"}"#) }
    }
}
