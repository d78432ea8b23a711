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
        if let abstract, says(String(abstract.prefix(abstractPrefix))) { return true }
        return false
    }

    private static func says(_ text: String) -> Bool {
        let lower = Whitespace.fold(text).lowercased()
        return lower.hasPrefix("withdrawn") || phrases.contains(where: lower.contains)
    }
}
