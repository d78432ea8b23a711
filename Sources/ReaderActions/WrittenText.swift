import Foundation

/// How text readers send (comment bodies, collection and organization
/// names) is measured and trimmed, the way the API's JSON Schemas do it, so a
/// limit means one thing on pages, in the API's document and in the rules.
public enum WrittenText {
    /// The one definition of "blank". Only ASCII whitespace counts: every
    /// regex engine (ICU here, Python's in clients and schemathesis,
    /// ECMAScript in browsers) reads such a class the same way.
    public static let blank = CharacterSet(charactersIn: " \t\n\r\u{0B}\u{0C}")

    public static func trimmed(_ text: String) -> String { text.trimmingCharacters(in: blank) }

    /// Length as JSON Schema counts it (code points).
    public static func length(_ text: String) -> Int { text.unicodeScalars.count }

    /// `text` trimmed, if it is at most `lengths.upperBound` long as sent
    /// (what the API's schema checks) and at least `lengths.lowerBound` once
    /// trimmed (what its "not blank" pattern checks); else nil.
    public static func trimmed(_ text: String?, within lengths: ClosedRange<Int>) -> String? {
        let text = text ?? ""
        let trimmed = trimmed(text)
        guard length(text) <= lengths.upperBound, length(trimmed) >= lengths.lowerBound else { return nil }
        return trimmed
    }
}
