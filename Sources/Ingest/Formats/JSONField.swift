import Foundation
import QuireCore

/// The fields of one JSON object as `JSONSerialization` gives it, read with
/// their types checked: a field of the wrong type is a `RecordError` naming
/// it ("field `paper.upvotes`: expected a number, found a string"), never a
/// cast that traps. An absent field and `null` both read as nil.
struct JSONField {
    let object: [String: Any]
    /// Where the object sits in the record ("paper"), "" for the record itself.
    let path: String

    init(_ object: [String: Any], path: String) { self.object = object; self.path = path }

    func name(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    private func value(_ key: String) -> Any? {
        guard let value = object[key], !(value is NSNull) else { return nil }
        return value
    }

    private func mismatch(_ key: String, expected: String, found value: Any) -> RecordError {
        RecordError("field `\(name(key))`: expected \(expected), found \(Self.kind(value))")
    }

    /// Text with its whitespace folded; nil when absent or blank.
    func string(_ key: String) throws -> String? {
        guard let value = value(key) else { return nil }
        guard let text = value as? String else { throw mismatch(key, expected: "a string", found: value) }
        return FieldChecks.optionalText(text)
    }

    func bool(_ key: String) throws -> Bool? {
        guard let value = value(key) else { return nil }
        guard value is Bool, let flag = value as? Bool else { throw mismatch(key, expected: "true or false", found: value) }
        return flag
    }

    func object(_ key: String) throws -> [String: Any]? {
        guard let value = value(key) else { return nil }
        guard let object = value as? [String: Any] else { throw mismatch(key, expected: "an object", found: value) }
        return object
    }

    /// An array of objects; empty when absent.
    func objects(_ key: String) throws -> [[String: Any]] {
        guard let value = value(key) else { return [] }
        guard let array = value as? [Any] else { throw mismatch(key, expected: "an array", found: value) }
        return try array.enumerated().map { k, element in
            guard let object = element as? [String: Any] else {
                throw RecordError("field `\(name(key))[\(k)]`: expected an object, found \(Self.kind(element))")
            }
            return object
        }
    }

    /// A count such as upvotes: a JSON number or a number written in a string
    /// ("12"), whole; clamped to `ClampedCount.range` so no size traps. NaN
    /// (only a caller's dictionary can hold one) reads as absent.
    func count(_ key: String) throws -> Int? {
        guard let value = value(key) else { return nil }
        let number: Double
        if let text = value as? String {
            guard let parsed = Double(text.trimmingCharacters(in: .whitespaces)) else {
                throw mismatch(key, expected: "a number", found: value)
            }
            number = parsed
        } else if !(value is Bool), let n = value as? NSNumber {
            number = n.doubleValue
        } else {
            throw mismatch(key, expected: "a number", found: value)
        }
        guard !number.isNaN else { return nil }
        guard number.isInfinite || number == number.rounded() else {
            throw RecordError("field `\(name(key))` must be a whole number, got \(number)")
        }
        return ClampedCount.clamp(number)
    }

    /// An organization: an object (its `fullname`, else its `name`) or a bare handle.
    func organization(_ key: String) throws -> String? {
        guard let value = value(key) else { return nil }
        if let text = value as? String { return FieldChecks.optionalText(text) }
        guard let object = value as? [String: Any] else { throw mismatch(key, expected: "an object or a string", found: value) }
        let fields = JSONField(object, path: name(key))
        return try fields.string("fullname") ?? fields.string("name")
    }

    /// What a JSON value is, as a reason says it.
    static func kind(_ value: Any) -> String {
        switch value {
        case is String: "a string"
        case is Bool: "true or false"
        case is NSNumber: "a number"
        case is [Any]: "an array"
        case is [String: Any]: "an object"
        case is NSNull: "null"
        default: "an unknown value"
        }
    }
}
