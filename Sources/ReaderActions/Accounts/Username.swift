import Foundation
import Storage

/// What a username may be: one rule for signing up and `quire user add`.
public enum Username {
    /// The rule as readers are told it.
    public static let rule = "3 to 30 letters, digits, - or _"
    static let lengths = 3...30
    static let characters = Set("abcdefghijklmnopqrstuvwxyz0123456789_-")

    /// The name as stored: trimmed and in lower case (names are told apart
    /// whatever their case). Throws `.invalid` stating the rule.
    public static func validated(_ raw: String) throws -> String {
        let name = raw.trimmingCharacters(in: .whitespaces).lowercased()
        guard lengths.contains(name.count), name.allSatisfy(characters.contains) else {
            throw Refusal.invalid("Choose a username of \(rule).")
        }
        return name
    }
}
