import Foundation

/// Whether arXiv metadata says a paper was withdrawn: the one rule for the
/// snapshot importer and every harvester.
///
/// arXiv marks a withdrawal by a new version whose comment, and often whose
/// abstract, says so: "This paper has been withdrawn by the authors.",
/// "Withdrawn: duplicate of 0704.0001", "This submission has been withdrawn by
/// arXiv administrators", "The authors have withdrawn this paper". The
/// phrases name the work being withdrawn, not just the word, because physics
/// abstracts withdraw heat and probes ("heat is withdrawn by the coolant") and
/// comments mention "withdrawn-layer" models. The abstract is read only at its
/// start, where arXiv puts the notice.
enum Withdrawal {
    static let phrases = [
        "has been withdrawn", "have withdrawn",
        "paper is withdrawn", "article is withdrawn", "submission is withdrawn", "manuscript is withdrawn",
        "version is withdrawn", "work is withdrawn",
        "withdrawn by the author", "withdrawn by arxiv",
        "paper withdrawn", "submission withdrawn", "article withdrawn", "version withdrawn",
    ]

    /// How much of the abstract's start is read.
    static let abstractPrefix = 200

    static func isWithdrawn(comments: String?, abstract: String?) -> Bool {
        if let comments, says(comments) { return true }
        // Cutting the prefix walks its characters: only once the word is known to be there.
        if let abstract, mentionsWithdrawn(abstract), says(String(abstract.prefix(abstractPrefix))) { return true }
        return false
    }

    private static func says(_ text: String) -> Bool {
        guard mentionsWithdrawn(text) else { return false }
        let lower = Whitespace.fold(text).lowercased()
        return lower.hasPrefix("withdrawn") || phrases.contains(where: lower.contains)
    }

    /// Whether "withdrawn", in any ASCII case, is in `text`: every phrase holds
    /// it, so this rules out nearly every text with a byte search, before
    /// folding, lowercasing and fourteen string searches (an import asks for
    /// every paper's comments and abstract: that was a quarter of a re-import).
    /// No non-ASCII letter lowercases to one of its letters, so nothing is missed.
    static func mentionsWithdrawn(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in // the string's own bytes, not a copy
            let word: StaticString = "withdrawn"
            let count = word.utf8CodeUnitCount
            guard bytes.count >= count else { return false }
            return word.withUTF8Buffer { word in
                for start in 0...(bytes.count - count) where bytes[start] | 0x20 == word[0] {
                    if (1..<count).allSatisfy({ bytes[start + $0] | 0x20 == word[$0] }) { return true }
                }
                return false
            }
        }
    }
}
