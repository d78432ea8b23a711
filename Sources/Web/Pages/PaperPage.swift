import MathMarkup
import QuireCore
import Storage

/// `/papers/{id}`: the whole record, with links out to arXiv, GitHub and the
/// project page.
struct PaperPage {
    var paper: Paper
    /// Closest in meaning, from the vectors; empty when semantic search is off.
    var similar: [Paper] = []
    /// What the signed-in reader did to this paper and the similar ones.
    var marks = ReaderMarks()
    var comments: [Comment] = []
    /// The reader's collections, for the "Save" form.
    var collections: [PaperCollection] = []

    func render() -> String {
        let p = paper
        var links: [String] = []
        if p.isArxiv {
            let versioned = p.version.map { "\(p.id)v\($0)" } ?? p.id
            links.append("<a href=\"https://arxiv.org/abs/\(esc(versioned))\">arXiv abstract</a>")
            links.append("<a href=\"https://arxiv.org/pdf/\(esc(versioned))\">PDF</a>")
        }
        if let repo = p.githubRepo { links.append("<a href=\"\(esc(safeURL(repo)))\">GitHub\(p.githubStars.map { " (★ \($0))" } ?? "")</a>") }
        if let page = p.projectPage { links.append("<a href=\"\(esc(safeURL(page)))\">Project page</a>") }
        if let doi = p.doi { links.append("<a href=\"https://doi.org/\(esc(doi))\">DOI \(esc(doi))</a>") }
        links.append("<a href=\"/api/papers/\(esc(p.id))\">JSON</a>")

        var facts: [(String, String)] = []
        if let day = p.dailyDate {
            facts.append(("On the daily list", "<a href=\"/papers/date/\(day)\">\(Layout.display(day))</a>" + (p.submittedBy.map { " by \(esc($0))" } ?? "")))
        }
        if let s = p.submittedAt { facts.append(("Submitted", Layout.display(Day(date: s)))) }
        if let u = p.updatedAt, let v = p.version, v > 1 { facts.append(("Latest version", "v\(v), \(Layout.display(Day(date: u)))")) }
        if !p.categories.isEmpty { facts.append(("Categories", p.categories.map(CategoryBadge.link).joined())) }
        if let org = p.organization { facts.append(("Organization", "<a href=\"/organizations/\(urlPart(Slug.stable(org)))\">\(esc(org))</a>")) }
        if let c = p.comments { facts.append(("Comments", esc(c))) }
        if let j = p.journalRef { facts.append(("Journal", esc(j))) }
        if let l = p.license { facts.append(("License", esc(l))) }

        let authors = p.authors.isEmpty
            ? (p.authorCount.map { "\($0) authors (names not known)" } ?? "")
            : p.authors.map { "<a href=\"/authors/\(urlPart(Slug.stable($0)))\">\(esc($0))</a>" }.joined(separator: ", ")
        let body = """
        <article class="paper" id="\(PaperListView.anchor(p.id))" data-paper-id="\(esc(p.id))">
          <h1>\(MathMarkup.html(p.title))</h1>
          \(p.withdrawn ? "<p class=\"withdrawn\">This paper has been withdrawn by its authors.</p>" : "")
          <p class="meta authors">\(authors)</p>
          \(p.isArxiv ? "<p class=\"meta\">arXiv:\(esc(p.id))</p>" : "")
          <p class="links">\(links.joined())</p>
          <div class="actions" id="actions">\(PaperListView.votesBox(p, upvoted: marks.upvoted.contains(p.id)))\(saveForm)\(FeedSignalButtons.all(p.id, marked: marks.signals[p.id] ?? [], anchor: "actions"))</div>
          \(PaperSummaryView.block(p))
          <h2>Abstract</h2>
          <p class="abstract">\(MathMarkup.html(p.abstract))</p>
          <dl class="facts">\(facts.map { "<dt>\($0.0)</dt><dd>\($0.1)</dd>" }.joined())</dl>
          \(citeBox)
        </article>
        \(CommentsView(paperID: p.id, comments: comments).render())
        \(similar.isEmpty ? "" : "<section class=\"similar\"><h2>Similar papers</h2>\(PaperListView.render(similar, marks: marks))</section>")
        """
        return Layout.page(title: p.title, body: body)
    }

    /// "Cite": the BibTeX entry to select and copy (no script: a `<pre>` in
    /// a `<details>`), and the paper's citation files for reference managers.
    private var citeBox: String {
        let path = PaperListView.paperPath(paper.id)
        let files = CitationDownload.allCases.map { "<a href=\"\(path)\($0.fileExtension)\" download>\($0.name)</a>" }.joined(separator: " · ")
        return """
        <details class="cite"><summary>Cite</summary>
        <pre class="bibtex">\(esc(BibTeX.entry(for: paper)))</pre>
        <p class="meta">Download: \(files)</p>
        </details>
        """
    }

    /// Save into one of the reader's collections (or a new one), with a note.
    private var saveForm: String {
        guard Viewer.current.user != nil else { return "" }
        let options = collections.map { "<option value=\"\($0.id)\">\(esc($0.name))</option>" }.joined()
        return """
        <details class="save"><summary>\(marks.saved.contains(paper.id) ? "Saved ✓ (save again)" : "Save")</summary>
        <form class="stack" method="post" action="/save">\(Forms.csrfField())
        <input type="hidden" name="paper" value="\(esc(paper.id))"><input type="hidden" name="back" value="\(esc(Viewer.current.path))">
        \(options.isEmpty ? "" : "<label>Collection <select name=\"collection\">\(options)</select></label>")
        <label>\(options.isEmpty ? "New collection" : "or a new collection") <input type="text" name="new_collection" maxlength="80" placeholder="\(options.isEmpty ? "Saved" : "")"></label>
        <label>Note <input type="text" name="note" maxlength="500"></label>
        <button type="submit">Save</button></form></details>
        """
    }

    /// Only http(s) links leave the page; anything else (javascript:, data:) is dropped.
    private func safeURL(_ url: String) -> String {
        let lower = url.lowercased()
        return lower.hasPrefix("https://") || lower.hasPrefix("http://") ? url : "#"
    }

    /// The paper as Markdown, for `/papers/{id}.md` (what `HfApi.read_paper` fetches).
    func markdown() -> String {
        var lines = ["# \(paper.title)", ""]
        if !paper.authors.isEmpty { lines += ["**Authors:** \(paper.authors.joined(separator: ", "))", ""] }
        if paper.isArxiv { lines += ["arXiv: [\(paper.id)](https://arxiv.org/abs/\(paper.id))", ""] }
        lines += ["## Abstract", "", paper.abstract, ""]
        return lines.joined(separator: "\n")
    }
}
