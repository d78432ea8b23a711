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
}
