import Foundation
import QuireCore

/// Checks shared by the parsers; each throws a `RecordError` naming the field.
enum FieldChecks {
    /// A count such as upvotes: JSON numbers are read as Double so "3.5" and
    /// "-2" get a precise reason rather than a generic decoding error. A count
    /// too big for any use (1e30) is not an error: `Paper` clamps it
    /// (`ClampedCount`); here it only must not trap on the way to an Int.
    static func count(_ value: Double?, field: String) throws -> Int? {
        guard let value else { return nil }
        guard value >= 0, value == value.rounded(), let count = ClampedCount.clamp(value) else {
            throw RecordError("field `\(field)` must be a non-negative integer, got \(format(value))")
        }
        return count
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    /// A "YYYY-MM-DD" day.
    static func day(_ text: String?, field: String) throws -> Day? {
        guard let text else { return nil }
        guard let day = Day(text.trimmingCharacters(in: .whitespaces)) else {
            throw RecordError("field `\(field)`: \"\(text)\" is not a valid YYYY-MM-DD date")
        }
        return day
    }

    /// A required text: folded, and not empty once folded.
    static func requiredText(_ text: String, field: String) throws -> String {
        let folded = Whitespace.fold(text)
        guard !folded.isEmpty else { throw RecordError("field `\(field)` is empty") }
        return folded
    }

    /// An optional text: folded; nil when empty.
    static func optionalText(_ text: String?) -> String? {
        guard let text else { return nil }
        let folded = Whitespace.fold(text)
        return folded.isEmpty ? nil : folded
    }

    /// An http(s) URL.
    static func url(_ text: String?, field: String) throws -> String? {
        guard let text = optionalText(text) else { return nil }
        let lower = text.lowercased()
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://"), URL(string: text)?.host != nil,
              !text.contains(" ") else {
            throw RecordError("field `\(field)`: \"\(text)\" is not an http(s) URL")
        }
        return text
    }
}
