import Foundation
import MathMarkup
import QuireCore

/// A list of papers as Hugging Face's Daily Papers shows them: votes, title,
/// authors (or their count), organization, date and the abstract's start;
/// then Quire's one-line summary and keyphrases, once made.
enum PaperListView {
    static func render(_ papers: [Paper], marks: ReaderMarks = ReaderMarks(), emptyMessage: String = "No papers here yet.") -> String {
        guard !papers.isEmpty else { return "<p class=\"notice\">\(esc(emptyMessage))</p>" }
        return "<ol class=\"papers\">\n" + papers.map { entry($0, marks: marks) }.joined(separator: "\n") + "\n</ol>"
    }

    /// `extra` is HTML added under the entry (a collection's note and "Remove"),
    /// `lead` HTML between the abstract and the buttons (why "For you" picked
    /// it), `moreActions` buttons beside "Save". Signed-in readers get the
    /// feed's three buttons too, unless `feedButtons` is false ("For you"
    /// chooses its own). The entry's id (`anchor`) is where a button's form
    /// comes back to, so the page does not jump to the top.
    static func entry(_ paper: Paper, marks: ReaderMarks = ReaderMarks(), extra: String = "", lead: String = "", moreActions: String = "",
                      feedButtons: Bool = true) -> String {
        var meta: [String] = []
        if let authors = authorLine(paper) { meta.append("<span class=\"authors\">\(authors)</span>") }
        if let org = paper.organization {
            meta.append("<span class=\"org\"><a href=\"/organizations/\(urlPart(Slug.stable(org)))\">\(esc(org))</a></span>")
        }
        if let day = paper.listDay { meta.append("<span class=\"date\">\(Layout.display(day))</span>") }
        // The primary category and up to two cross-lists, each a link to its page.
        if !paper.categories.isEmpty {
            meta.append("<span class=\"categories\">\(paper.categories.prefix(3).map(CategoryBadge.link).joined())</span>")
        }
        return """
        <li data-paper-id="\(esc(paper.id))" id="\(anchor(paper.id))">
          \(votesBox(paper, upvoted: marks.upvoted.contains(paper.id)))
          <div class="entry">
            <h2><a href="\(paperPath(paper.id))">\(MathMarkup.html(paper.title))</a></h2>
            <div class="meta">\(meta.joined())</div>
            <p class="abstract">\(MathMarkup.html(excerpt(paper.abstract)))</p>\(PaperSummaryView.listLines(paper))\(lead)
            <div class="actions">\(saveButton(paper, saved: marks.saved.contains(paper.id)))\(moreActions)\(feedButtons ? FeedSignalButtons.all(paper.id, marked: marks.signals[paper.id] ?? []) : "")</div>\(extra)
          </div>
        </li>
        """
    }

    /// The upvote count and button, updated in place as one (`InPlace`).
    /// `count` is the paper's upvotes unless just changed.
    static func votesBox(_ paper: Paper, upvoted: Bool, count: Int? = nil) -> String {
        let count = count ?? paper.upvotes
        return """
        <div class="votes" title="upvotes" data-in-place-box><b>\(count)</b><small>upvote\(count == 1 ? "" : "s")</small>\
        \(upvoteButton(paper, upvoted: upvoted))</div>
        """
    }

    /// "▲ Upvote" / "▲ Upvoted" for readers; a link to log in for everyone else.
    static func upvoteButton(_ paper: Paper, upvoted: Bool) -> String {
        guard Viewer.current.user != nil else {
            return "<a class=\"upvote\" href=\"/login?next=\(urlPart(Viewer.current.path))\" title=\"Log in to upvote\">▲ Upvote</a>"
        }
        return Forms.post("/upvote", button: upvoted ? "▲ Upvoted" : "▲ Upvote",
                          fields: ["paper": paper.id, "on": upvoted ? "0" : "1", "back": Viewer.current.path],
                          style: upvoted ? "upvote on" : "upvote", title: upvoted ? "Remove your upvote" : "Upvote this paper", inPlace: true)
    }

    /// "Save" into the reader's collections ("Saved ✓" once it is in one).
    static func saveButton(_ paper: Paper, saved: Bool) -> String {
        guard Viewer.current.user != nil else { return "" }
        if saved { return "<a class=\"saved\" href=\"/collections\">Saved ✓</a>" }
        return Forms.post("/save", button: "Save", fields: ["paper": paper.id, "back": Viewer.current.path], style: "save",
                          title: "Save to your collection “Saved”", inPlace: true)
    }

    /// The id of a paper's list entry, for links and redirects back to it
    /// (old-style ids have a `/`, which would read as a path in a fragment).
    static func anchor(_ id: String) -> String {
        "paper-" + id.replacingOccurrences(of: "/", with: "_")
    }

    static func paperPath(_ id: String) -> String {
        "/papers/" + id.split(separator: "/", omittingEmptySubsequences: false).map { urlPart(String($0)) }.joined(separator: "/")
    }

    /// First three authors linked, then "et al."; or the count when names are unknown.
    static func authorLine(_ paper: Paper) -> String? {
        if paper.authors.isEmpty {
            guard let count = paper.authorCount, count > 0 else { return nil }
            return "\(count) author\(count == 1 ? "" : "s")"
        }
        let shown = paper.authors.prefix(3).map { "<a href=\"/authors/\(urlPart(Slug.stable($0)))\">\(esc($0))</a>" }
        let rest = paper.authors.count - shown.count
        return shown.joined(separator: ", ") + (rest > 0 ? " et al. (\(paper.authors.count) authors)" : "")
    }

    /// About the first three lines of the abstract, cut at a word, and
    /// before a formula the limit falls in (half a formula shows as raw TeX).
    static func excerpt(_ text: String, limit: Int = 300) -> String {
        guard text.count > limit else { return text }
        var cut = text.prefix(limit)
        if let formula = MathMarkup.formulaRanges(in: text).first(where: { $0.contains(cut.endIndex) }) {
            cut = text[..<formula.lowerBound]
        }
        return (cut.lastIndex(of: " ").map { String(cut[..<$0]) } ?? String(cut)) + "…"
    }
}
