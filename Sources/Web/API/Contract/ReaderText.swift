import Foundation

/// The API document's side of `WrittenText` (ReaderActions): patterns that
/// match exactly its blanks, and string schemas, so the document and the
/// server's checks agree to the character.
enum ReaderText {
    /// Matches text with at least one non-blank character.
    static let notBlankPattern = "[^ \\t\\n\\r\\x0b\\x0c]"
    /// Matches text with at least two non-blank characters.
    static let twoNonBlankPattern = notBlankPattern + "[\\s\\S]*" + notBlankPattern

    /// A string schema with these bounds (and, when `nullable`, null meaning "not given").
    static func schema(maxLength: Int, pattern: String? = nil, nullable: Bool = false, description: String? = nil) -> JSONValue {
        var object: [String: JSONValue] = ["type": nullable ? ["string", "null"] : "string", "maxLength": .int(maxLength)]
        if let pattern { object["pattern"] = .string(pattern) }
        if let description { object["description"] = .string(description) }
        return .object(object)
    }
}
