import Diagnostics

/// Validates instances against a compiled `JSONSchema`, collecting every problem in one pass.
public struct SchemaValidator: Sendable {
    public let schema: JSONSchema
    /// Check `format` (hostname, ipv4, email, uri …). Draft 2020-12 treats `format` as an annotation by default;
    /// kiln's own schema relies on it, the JSON-Schema-Test-Suite's `format.json` does not.
    public var assertFormats: Bool
    /// Extra secret detection by key path (on top of `writeOnly` in the schema), for free-form maps.
    public var isSecretPath: @Sendable (KeyPath) -> Bool
    /// Strings that stand for a value resolved later (kiln's `${env:NAME}`): their type is checked, their form
    /// (pattern, format, enum, length) is not.
    public var isDeferred: @Sendable (String) -> Bool

    public init(_ schema: JSONSchema, assertFormats: Bool = true,
                isSecretPath: @escaping @Sendable (KeyPath) -> Bool = { _ in false },
                isDeferred: @escaping @Sendable (String) -> Bool = { _ in false }) {
        self.schema = schema
        self.assertFormats = assertFormats
        self.isSecretPath = isSecretPath
        self.isDeferred = isDeferred
    }

    /// Validates `instance`; `path` says where it sits in a larger document, so messages name the full key path.
    public func validate(_ instance: Instance, at path: KeyPath = .root) -> [Diagnostic] {
        var out: [Diagnostic] = []
        check(instance, schema.root, Context(path: path, owner: instance.location, secret: isSecretPath(path), depth: 0), &out)
        return out
    }

    public func isValid(_ instance: Instance) -> Bool {
        !validate(instance).hasErrors
    }

    struct Context {
        var path: KeyPath
        /// Where the key that holds this value was written (errors about a whole mapping point there).
        var owner: SourceLocation?
        var secret: Bool
        var depth: Int

        func child(_ key: String, at: SourceLocation?, secret s: Bool) -> Context {
            Context(path: path.appending(key), owner: at, secret: secret || s, depth: depth + 1)
        }
    }

    // MARK: - The keywords

    private func check(_ inst: Instance, _ node: SchemaNode, _ ctx: Context, _ out: inout [Diagnostic]) {
        if let always = node.alwaysValid {
            if !always { out.append(error(SchemaCode.notAllowedValue, "\(name(ctx)) is not allowed here", inst, ctx)) }
            return
        }
        guard ctx.depth < 256 else {
            out.append(error(SchemaCode.composition, "schema recursion is too deep at \(name(ctx))", inst, ctx))
            return
        }
        let secret = ctx.secret || node.writeOnly
        var ctx = ctx
        ctx.secret = secret
        let (value, legacy) = ScalarTyping.typed(inst, for: node)

        var typeFits = true
        let deferred: Bool = { if case .string(let s) = value { return isDeferred(s) } else { return false } }()
        if let types = node.types {
            if !types.contains(where: { ScalarTyping.matches(value, $0) }) {
                typeFits = false
                out.append(typeError(types, value, inst, ctx))
            } else if let legacy, types.contains(.boolean) {
                var d = Diagnostic.warning(
                    SchemaCode.legacyBoolean,
                    "`\(legacy)` is a YAML 1.1 boolean; read as `\(ScalarTyping.canonicalBoolean(legacy))`",
                    at: inst.location, path: ctx.path.description,
                    help: "write `\(ScalarTyping.canonicalBoolean(legacy))`; YAML 1.2 readers take `\(legacy)` as a string")
                d.secretValue = secret
                out.append(d)
            }
        }
        // Once the type is wrong, "not one of the allowed values" only repeats it.
        if typeFits, !deferred, let allowed = node.enumValues {
            let json = value.json
            if !allowed.contains(where: { $0 == json }) {
                out.append(enumError(allowed, value, inst, ctx))
            }
        }
        if typeFits, let constant = node.constValue, !(constant == value.json) {
            var d = error(SchemaCode.notAllowedValue, "\(name(ctx)) must be \(show(constant, ctx)), not \(describe(value, ctx))", inst, ctx)
            d.help = nil
            out.append(d)
        }

        switch value {
        case .string(let s) where !deferred: checkString(s, node, inst, ctx, &out)
        case .number(let n): checkNumber(n, node, inst, ctx, &out)
        case .array(let items): checkArray(items, node, inst, ctx, &out)
        case .object(let members): checkObject(members, node, inst, ctx, &out)
        default: break
        }

        if let target = node.ref { check(inst, target, ctx.deeper, &out) }
        for sub in node.allOf { check(inst, sub, ctx.deeper, &out) }
        if !node.anyOf.isEmpty { checkAnyOf(node.anyOf, exactlyOne: false, inst, ctx, &out) }
        if !node.oneOf.isEmpty { checkAnyOf(node.oneOf, exactlyOne: true, inst, ctx, &out) }
        if let not = node.not {
            var scratch: [Diagnostic] = []
            check(inst, not, ctx.deeper, &scratch)
            if !scratch.hasErrors {
                out.append(error(SchemaCode.composition, "\(name(ctx)) has a form that is not allowed here", inst, ctx))
            }
        }
        if let condition = node.ifSchema {
            var scratch: [Diagnostic] = []
            check(inst, condition, ctx.deeper, &scratch)
            if let branch = scratch.hasErrors ? node.elseSchema : node.thenSchema {
                check(inst, branch, ctx.deeper, &out)
            }
        }
    }

    private func checkString(_ s: String, _ node: SchemaNode, _ inst: Instance, _ ctx: Context, _ out: inout [Diagnostic]) {
        let length = s.unicodeScalars.count
        if let min = node.minLength, length < min {
            out.append(error(SchemaCode.size, min == 1 ? "\(name(ctx)) must not be empty"
                             : "\(name(ctx)) must be at least \(min) characters long", inst, ctx))
        }
        if let max = node.maxLength, length > max {
            out.append(error(SchemaCode.size, "\(name(ctx)) must be at most \(max) characters long (it has \(length))", inst, ctx))
        }
        if let p = node.pattern, !p.matches(s) {
            var d = error(SchemaCode.pattern, "\(name(ctx)) has the wrong form: \(show(.string(s), ctx))", inst, ctx)
            d.help = node.extensions["x-kiln-pattern-hint"]?.stringValue.map { "expected \($0)" }
                ?? "expected a string matching `\(p.source)`"
            out.append(d)
        }
        if assertFormats, let format = node.format, !Formats.check(format, s) {
            var d = error(SchemaCode.pattern, "\(name(ctx)) is not a valid \(Formats.describe(format)): \(show(.string(s), ctx))", inst, ctx)
            d.help = node.extensions["x-kiln-pattern-hint"]?.stringValue.map { "expected \($0)" }
            out.append(d)
        }
    }

    private func checkNumber(_ n: Double, _ node: SchemaNode, _ inst: Instance, _ ctx: Context, _ out: inout [Diagnostic]) {
        func fail(_ what: String) { out.append(error(SchemaCode.range, "\(name(ctx)) must be \(what); found \(JSONValue.format(n))", inst, ctx)) }
        if let m = node.minimum, n < m { fail("at least \(JSONValue.format(m))") }
        if let m = node.maximum, n > m { fail("at most \(JSONValue.format(m))") }
        if let m = node.exclusiveMinimum, n <= m { fail("greater than \(JSONValue.format(m))") }
        if let m = node.exclusiveMaximum, n >= m { fail("less than \(JSONValue.format(m))") }
        if let m = node.multipleOf, m > 0 {
            let q = n / m
            if !q.isFinite || abs(q - q.rounded()) > 1e-9 * max(1, abs(q)) { fail("a multiple of \(JSONValue.format(m))") }
        }
    }

    private func checkArray(_ items: [Instance], _ node: SchemaNode, _ inst: Instance, _ ctx: Context, _ out: inout [Diagnostic]) {
        if let min = node.minItems, items.count < min {
            out.append(error(SchemaCode.size, min == 1 ? "\(name(ctx)) must not be an empty list"
                             : "\(name(ctx)) must have at least \(min) items (it has \(items.count))", inst, ctx))
        }
        if let max = node.maxItems, items.count > max {
            out.append(error(SchemaCode.size, "\(name(ctx)) must have at most \(max) items (it has \(items.count))", inst, ctx))
        }
        for (i, item) in items.enumerated() {
            let itemCtx = Context(path: ctx.path.appending(index: i), owner: item.location, secret: ctx.secret, depth: ctx.depth + 1)
            if i < node.prefixItems.count {
                check(item, node.prefixItems[i], itemCtx, &out)
            } else if let schema = node.items {
                check(item, schema, itemCtx, &out)
            }
        }
        if let contains = node.contains {
            let matching = items.enumerated().filter { i, item in
                var scratch: [Diagnostic] = []
                check(item, contains, Context(path: ctx.path.appending(index: i), owner: nil, secret: ctx.secret, depth: ctx.depth + 1), &scratch)
                return !scratch.hasErrors
            }.count
            let min = node.minContains ?? 1
            if matching < min {
                out.append(error(SchemaCode.items, "\(name(ctx)) must contain at least \(min) matching item\(min == 1 ? "" : "s")", inst, ctx))
            }
            if let max = node.maxContains, matching > max {
                out.append(error(SchemaCode.items, "\(name(ctx)) must contain at most \(max) matching items", inst, ctx))
            }
        }
        if node.uniqueItems {
            let values = items.map { ScalarTyping.typed($0, for: nil).0.json }
            outer: for i in values.indices {
                for j in values.indices where j > i && values[i] == values[j] {
                    var d = error(SchemaCode.items, "\(name(ctx)) must not repeat items: item \(j) repeats item \(i)", items[j], ctx)
                    d.path = ctx.path.appending(index: j).description
                    out.append(d)
                    break outer
                }
            }
        }
    }

    private func checkObject(_ members: [Member], _ node: SchemaNode, _ inst: Instance, _ ctx: Context, _ out: inout [Diagnostic]) {
        let present = Set(members.map(\.key))
        for key in node.required where !present.contains(key) {
            var d = Diagnostic.error(
                SchemaCode.required, "missing required key `\(ctx.path.appending(key))`", at: ctx.owner ?? inst.location,
                path: ctx.path.appending(key).description)
            if let description = node.property(key)?.description { d.notes = [firstSentence(description)] }
            out.append(d)
        }
        if let min = node.minProperties, members.count < min {
            out.append(error(SchemaCode.size, "\(name(ctx)) must have at least \(min) keys", inst, ctx))
        }
        if let max = node.maxProperties, members.count > max {
            out.append(error(SchemaCode.size, "\(name(ctx)) must have at most \(max) keys", inst, ctx))
        }
        for (key, needed) in node.dependentRequired where present.contains(key) {
            for other in needed where !present.contains(other) {
                out.append(Diagnostic.error(
                    SchemaCode.dependency, "`\(ctx.path.appending(key))` needs `\(ctx.path.appending(other))` as well",
                    at: ctx.owner ?? inst.location, path: ctx.path.appending(other).description))
            }
        }
        for (key, schema) in node.dependentSchemas where present.contains(key) {
            check(inst, schema, ctx.deeper, &out)
        }
        for member in members {
            let secret = isSecretPath(ctx.path.appending(member.key))
            let childCtx = ctx.child(member.key, at: member.keyLocation ?? member.value.location, secret: secret)
            if let names = node.propertyNames {
                var scratch: [Diagnostic] = []
                check(Instance(.string(member.key), at: member.keyLocation), names, childCtx, &scratch)
                if scratch.hasErrors {
                    out.append(Diagnostic.error(SchemaCode.keyName, "key `\(member.key)` has a name that is not allowed here",
                                                at: member.keyLocation, path: childCtx.path.description,
                                                notes: scratch.filter { $0.severity == .error }.prefix(1).map(\.message)))
                }
            }
            var matched = false
            if let schema = node.property(member.key) {
                matched = true
                check(member.value, schema, childCtx, &out)
            }
            for (pattern, schema) in node.patternProperties where pattern.matches(member.key) {
                matched = true
                check(member.value, schema, childCtx, &out)
            }
            if !matched, let extra = node.additionalProperties {
                if extra.alwaysValid == false {
                    out.append(unknownKey(member, node, ctx))
                } else {
                    check(member.value, extra, childCtx, &out)
                }
            }
        }
    }

    /// anyOf / oneOf. When every branch fails, the branch whose type fits is the one the user meant: its errors are
    /// reported as they are. Otherwise one error lists what each form expected.
    private func checkAnyOf(_ branches: [SchemaNode], exactlyOne: Bool, _ inst: Instance, _ ctx: Context, _ out: inout [Diagnostic]) {
        var results: [[Diagnostic]] = []
        for branch in branches {
            var scratch: [Diagnostic] = []
            check(inst, branch, ctx.deeper, &scratch)
            results.append(scratch)
        }
        let passing = results.indices.filter { !results[$0].hasErrors }
        if exactlyOne, passing.count > 1 {
            out.append(error(SchemaCode.composition, "\(name(ctx)) matches more than one of the allowed forms", inst, ctx))
            return
        }
        if let first = passing.first {
            out += results[first].filter { $0.severity != .error }
            return
        }
        let here = ctx.path.description
        let plausible = results.filter { r in !r.contains { $0.code == SchemaCode.type && $0.path == here } }
        if plausible.count == 1 {
            out += plausible[0]
            return
        }
        var d = error(SchemaCode.composition, "\(name(ctx)) matches none of the allowed forms", inst, ctx)
        d.notes = results.compactMap { $0.first { $0.severity == .error }?.message }.prefix(4).map { "not " + $0 }
        out.append(d)
    }

    // MARK: - Messages

    private func name(_ ctx: Context) -> String {
        ctx.path.components.isEmpty ? "the document" : "`\(ctx.path)`"
    }

    private func error(_ code: String, _ message: String, _ inst: Instance, _ ctx: Context) -> Diagnostic {
        var d = Diagnostic.error(code, message, at: inst.location ?? ctx.owner, path: ctx.path.description)
        d.secretValue = ctx.secret
        return d
    }

    private func describe(_ value: TypedValue, _ ctx: Context) -> String {
        switch value {
        case .array: return "a list"
        case .object: return "a mapping"
        case .null: return "null"
        default: return show(value.json, ctx)
        }
    }

    private func show(_ value: JSONValue, _ ctx: Context) -> String {
        if ctx.secret { return "(a secret value, not shown)" }
        switch value {
        case .string(let s): return "`\(s.count > 80 ? String(s.prefix(77)) + "..." : s)`"
        default: return "`\(value.jsonText)`"
        }
    }

    private func typeError(_ types: [JSONType], _ value: TypedValue, _ inst: Instance, _ ctx: Context) -> Diagnostic {
        let expected = types.map(Self.typeName).joined(separator: " or ")
        var d = error(SchemaCode.type, "\(name(ctx)) must be \(expected), not \(ScalarTyping.typeNameOf(value)) \(value.isScalar ? describe(value, ctx) : "")"
            .trimmingCharacters(in: .whitespaces), inst, ctx)
        if types == [.boolean] { d.help = "write `true` or `false`" }
        if types.contains(.string), case .number = value, !ctx.secret { d.help = "quote the value to make it a string" }
        return d
    }

    private func enumError(_ allowed: [JSONValue], _ value: TypedValue, _ inst: Instance, _ ctx: Context) -> Diagnostic {
        let list = allowed.map { "`\($0.stringValue ?? $0.jsonText)`" }.joined(separator: ", ")
        var d = error(SchemaCode.notAllowedValue, "\(name(ctx)) must be one of \(list); found \(describe(value, ctx))", inst, ctx)
        if !ctx.secret, case .string(let s) = value,
           let guess = Suggestion.closest(to: s, in: allowed.compactMap(\.stringValue)) {
            d.help = "did you mean `\(guess)`?"
        }
        return d
    }

    private func unknownKey(_ member: Member, _ node: SchemaNode, _ ctx: Context) -> Diagnostic {
        let path = ctx.path.appending(member.key)
        let where_ = ctx.path.components.isEmpty ? "at the top level" : "in `\(ctx.path)`"
        var d = Diagnostic.error(SchemaCode.unknownKey, "unknown key `\(member.key)` \(where_)",
                                 at: member.keyLocation ?? member.value.location, path: path.description)
        // The value does not matter to this error, and a misspelled `pasword:` still holds a password.
        d.secretValue = true
        let known = node.allowedKeys
        if let guess = Suggestion.closest(to: member.key, in: known) {
            d.help = "did you mean `\(guess)`?"
        }
        if !known.isEmpty, known.count <= 16 {
            d.notes = ["allowed keys \(where_): " + known.joined(separator: ", ")]
        }
        return d
    }

    static func typeName(_ t: JSONType) -> String {
        switch t {
        case .null: return "null"
        case .boolean: return "a boolean"
        case .integer: return "an integer"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "a list"
        case .object: return "a mapping"
        }
    }

    private func firstSentence(_ s: String) -> String {
        if let dot = s.range(of: ". ") { return String(s[..<dot.lowerBound]) + "." }
        return s
    }
}

extension SchemaValidator.Context {
    var deeper: Self {
        var c = self
        c.depth += 1
        return c
    }
}
