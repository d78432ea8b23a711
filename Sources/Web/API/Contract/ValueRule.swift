import Foundation
import QuireCore

/// What a query or path value may be. Each rule is rendered into
/// `/openapi.json` and enforced by `APIContractMiddleware` from this one
/// definition, so the document and the server reject the same values.
///
/// Lengths count Unicode scalars (code points), as JSON Schema does. Patterns
/// use only ASCII classes (`[0-9]`, never `\d`), which every regex engine reads alike.
enum ValueRule: Sendable {
    /// Any text, optionally bounded in length or shaped by an anchored
    /// pattern (`meaning` says the pattern in words, for error messages).
    case text(minLength: Int = 0, maxLength: Int? = nil, pattern: String? = nil, meaning: String? = nil)
    /// A real calendar day written YYYY-MM-DD (JSON Schema's `date` format).
    case date
    /// One of a few words.
    case choice([String], default: String? = nil)
    /// A whole number in a range.
    case integer(ClosedRange<Int>, default: Int? = nil)
    /// An arXiv category or archive (`ArxivCategories`), as the taxonomy spells it.
    case category

    var schema: JSONValue {
        switch self {
        case let .text(minLength, maxLength, pattern, _):
            var schema: [String: JSONValue] = ["type": "string"]
            if minLength > 0 { schema["minLength"] = .int(minLength) }
            if let maxLength { schema["maxLength"] = .int(maxLength) }
            if let pattern { schema["pattern"] = .string(pattern) }
            return .object(schema)
        case .date:
            return ["type": "string", "format": "date"]
        case let .choice(words, defaultWord):
            var schema: [String: JSONValue] = ["type": "string", "enum": .array(words.map(JSONValue.string))]
            if let defaultWord { schema["default"] = .string(defaultWord) }
            return .object(schema)
        case let .integer(range, defaultValue):
            var schema: [String: JSONValue] = ["type": "integer", "minimum": .int(range.lowerBound), "maximum": .int(range.upperBound)]
            if let defaultValue { schema["default"] = .int(defaultValue) }
            return .object(schema)
        case .category:
            return ["type": "string", "enum": .array(ArxivCategories.all.map(JSONValue.string))]
        }
    }

    /// Why `raw` breaks the rule (to finish "NAME …"), or nil when it keeps it.
    func problem(with raw: String) -> String? {
        switch self {
        case let .text(minLength, maxLength, pattern, meaning):
            let length = raw.unicodeScalars.count
            if length < minLength { return minLength == 1 ? "must not be empty" : "must be at least \(minLength) characters long" }
            if let maxLength, length > maxLength { return "is \(length) characters long; the limit is \(maxLength)" }
            if let pattern, raw.range(of: pattern, options: .regularExpression) == nil {
                return "must be \(meaning ?? "text matching \(pattern)"), not '\(raw.prefix(40))'"
            }
            return nil
        case .date:
            return Day(raw) == nil ? "must be a real day written YYYY-MM-DD, not '\(raw.prefix(40))'" : nil
        case let .choice(words, _):
            let list = words.dropLast().joined(separator: ", ") + (words.count > 1 ? " or " : "") + (words.last ?? "")
            return words.contains(raw) ? nil : "must be \(list), not '\(raw.prefix(40))'"
        case .category:
            return ArxivCategories.all.contains(raw) ? nil : "must be \(ArxivCategories.validForm), not '\(raw.prefix(40))'"
        case let .integer(range, _):
            guard let value = Int(raw), range.contains(value) else {
                return "must be a whole number from \(range.lowerBound) to \(range.upperBound), not '\(raw.prefix(40))'"
            }
            return nil
        }
    }
}
