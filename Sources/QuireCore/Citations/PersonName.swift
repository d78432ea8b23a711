/// An author's name split the way reference managers store it: family name,
/// given names and a generational suffix. arXiv gives names as written
/// ("Ashish Vaswani"), sometimes family first with a comma ("Vaswani,
/// Ashish"); a single word (a collaboration, an organization) has no split.
public struct PersonName: Equatable, Sendable {
    public var family: String
    public var given: String
    public var suffix: String

    /// The name as one string when it cannot be split.
    public var isSingleWord: Bool { given.isEmpty && suffix.isEmpty }

    static let suffixes: Set<String> = ["jr", "jr.", "sr", "sr.", "ii", "iii", "iv"]

    /// "Ashish Vaswani" → Vaswani / Ashish; "Vaswani, Ashish" → Vaswani / Ashish;
    /// "Martin Luther King Jr." → King / Martin Luther / Jr.; lower-case
    /// particles belong to the family name, as in BibTeX: "Ludwig van
    /// Beethoven" → van Beethoven / Ludwig.
    public init(_ name: String) {
        if let comma = name.firstIndex(of: ",") {
            family = name[..<comma].trimmingWhitespace
            given = name[name.index(after: comma)...].trimmingWhitespace
            suffix = ""
            return
        }
        var parts = name.split(whereSeparator: \.isWhitespace).map(String.init)
        var suffixes: [String] = []
        while parts.count > 1, let last = parts.last, Self.suffixes.contains(last.lowercased()) {
            suffixes.insert(parts.removeLast(), at: 0)
        }
        var familyStart = max(parts.count - 1, 0)
        while familyStart > 1, parts[familyStart - 1].first?.isLowercase == true { familyStart -= 1 }
        family = parts[familyStart...].joined(separator: " ")
        given = parts[..<familyStart].joined(separator: " ")
        suffix = suffixes.joined(separator: " ")
    }
}

private extension StringProtocol {
    var trimmingWhitespace: String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
