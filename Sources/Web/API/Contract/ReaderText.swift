import Foundation

/// The one definition of "blank" for text readers send (comment bodies,
/// collection and organization names), shared by the document's patterns and
/// the server's checks so both agree to the character. Only ASCII whitespace
/// counts as blank: every regex engine (ICU here, Python's in clients and
/// schemathesis, ECMAScript in browsers) reads such a class the same way.
enum ReaderText {
    static let blank = CharacterSet(charactersIn: " \t\n\r\u{0B}\u{0C}")

    /// Matches text with at least one non-blank character.
    static let notBlankPattern = "[^ \\t\\n\\r\\x0b\\x0c]"
    /// Matches text with at least two non-blank characters.
    static let twoNonBlankPattern = notBlankPattern + "[\\s\\S]*" + notBlankPattern

    static func trimmed(_ text: String) -> String { text.trimmingCharacters(in: blank) }

    /// Length as JSON Schema counts it (code points).
    static func length(_ text: String) -> Int { text.unicodeScalars.count }

    /// A string schema with these bounds (and, when `nullable`, null meaning "not given").
    static func schema(maxLength: Int, pattern: String? = nil, nullable: Bool = false, description: String? = nil) -> JSONValue {
        var object: [String: JSONValue] = ["type": nullable ? ["string", "null"] : "string", "maxLength": .int(maxLength)]
        if let pattern { object["pattern"] = .string(pattern) }
        if let description { object["description"] = .string(description) }
        return .object(object)
    }
}
