import Foundation
import QuireCore

/// A list of papers as Hugging Face's Daily Papers shows them: votes, title,
/// authors (or their count), organization, date and the abstract's start.
enum PaperListView {
    static func render(_ papers: [Paper], emptyMessage: String = "No papers here yet.") -> String {
        guard !papers.isEmpty else { return "<p class=\"notice\">\(esc(emptyMessage))</p>" }
        return "<ol class=\"papers\">\n" + papers.map(entry).joined(separator: "\n") + "\n</ol>"
    }

    static func entry(_ paper: Paper) -> String {
        var meta: [String] = []
        if let authors = authorLine(paper) { meta.append("<span class=\"authors\">\(authors)</span>") }
        if let org = paper.organization {
            meta.append("<span class=\"org\"><a href=\"/organizations/\(urlPart(Slug.stable(org)))\">\(esc(org))</a></span>")
        }
        if let day = paper.listDay { meta.append("<span class=\"date\">\(Layout.display(day))</span>") }
        return """
        <li data-paper-id="\(esc(paper.id))">
          <div class="votes" title="upvotes"><b>\(paper.upvotes)</b><small>upvote\(paper.upvotes == 1 ? "" : "s")</small></div>
          <div class="entry">
            <h2><a href="\(paperPath(paper.id))">\(esc(paper.title))</a></h2>
            <div class="meta">\(meta.joined())</div>
            <p class="abstract">\(esc(excerpt(paper.abstract)))</p>
          </div>
        </li>
        """
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

    /// About the first three lines of the abstract, cut at a word.
    static func excerpt(_ text: String, limit: Int = 300) -> String {
        guard text.count > limit else { return text }
        let cut = text.prefix(limit)
        return (cut.lastIndex(of: " ").map { String(cut[..<$0]) } ?? String(cut)) + "…"
    }
}
