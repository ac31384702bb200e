import Foundation
import Schema

/// A label selector as list and watch take it: `a=b`, `a==b`, `a!=b`, `a`, `!a`, `a in (x,y)`, `a notin (x,y)`.
struct LabelSelector {
    enum Requirement {
        case equals(String, String)
        case notEquals(String, String)
        case exists(String)
        case absent(String)
        case within(String, Set<String>)
        case notWithin(String, Set<String>)
    }

    var requirements: [Requirement] = []

    init(_ text: String?) {
        requirements = Self.terms(text ?? "").compactMap(Self.requirement)
    }

    func matches(_ labels: [String: String]) -> Bool {
        requirements.allSatisfy { requirement in
            switch requirement {
            case let .equals(key, value): return labels[key] == value
            case let .notEquals(key, value): return labels[key] != value
            case let .exists(key): return labels[key] != nil
            case let .absent(key): return labels[key] == nil
            case let .within(key, values): return labels[key].map(values.contains) ?? false
            case let .notWithin(key, values): return !(labels[key].map(values.contains) ?? false)
            }
        }
    }

    func matches(_ object: JSONValue) -> Bool {
        var labels: [String: String] = [:]
        for (key, value) in object["metadata"]?["labels"]?.objectValue ?? [] { labels[key] = value.stringValue ?? "" }
        return matches(labels)
    }

    /// Terms split at commas outside parentheses.
    private static func terms(_ text: String) -> [String] {
        var terms: [String] = []
        var current = ""
        var depth = 0
        for character in text {
            if character == "(" { depth += 1 }
            if character == ")" { depth -= 1 }
            if character == ",", depth == 0 {
                terms.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        terms.append(current)
        return terms.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    private static func requirement(_ term: String) -> Requirement? {
        for (word, make) in [(" notin ", Requirement.notWithin), (" in ", Requirement.within)] {
            if let range = term.range(of: word) {
                let values = term[range.upperBound...].trimmingCharacters(in: CharacterSet(charactersIn: "() "))
                return make(String(term[..<range.lowerBound]).trimmingCharacters(in: .whitespaces),
                            Set(values.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }))
            }
        }
        for (op, make) in [("!=", Requirement.notEquals), ("==", Requirement.equals), ("=", Requirement.equals)] {
            if let range = term.range(of: op) {
                return make(String(term[..<range.lowerBound]), String(term[range.upperBound...]))
            }
        }
        return term.hasPrefix("!") ? .absent(String(term.dropFirst())) : .exists(term)
    }
}

/// A field selector, for the two fields every kind supports: `metadata.name=x`, `metadata.namespace!=y`.
struct FieldSelector {
    private var terms: [(path: [String], value: String, equal: Bool)] = []

    init(_ text: String?) {
        for term in (text ?? "").split(separator: ",") {
            let equal = !term.contains("!=")
            let parts = term.components(separatedBy: equal ? (term.contains("==") ? "==" : "=") : "!=")
            guard parts.count == 2 else { continue }
            terms.append((parts[0].split(separator: ".").map(String.init), parts[1], equal))
        }
    }

    func matches(_ object: JSONValue) -> Bool {
        terms.allSatisfy { (JSONEditing.value(object, $0.path)?.stringValue ?? "" == $0.value) == $0.equal }
    }
}
