import Foundation
import QuireCore
import ReaderActions
import Storage

/// "My own papers" on `/for-you`: the ones claimed, each removable, the three
/// ways to find more, and the confirmation list every way leads to.
enum OwnPapersPage {
    /// The confirmation: every paper found, ticked (those already claimed
    /// said so), what could not be found, and names close to one that matched nobody.
    static func confirmation(_ candidates: OwnPaperActions.Candidates, source: String) -> String {
        let rows = candidates.papers.map { paper in
            let mine = candidates.alreadyMine.contains(paper.id)
            let authors = paper.authors.prefix(6).joined(separator: ", ") + (paper.authors.count > 6 ? " et al." : "")
            let meta = [authors, paper.listDay.map { Layout.display($0) } ?? "", paper.id].filter { !$0.isEmpty }
                .map { "<span>\(esc($0))</span>" }.joined()
            return """
            <li><label><input type="checkbox" name="paper" value="\(esc(paper.id))" checked> <b>\(esc(paper.title))</b></label>\
            \(mine ? " <span class=\"badge\">already yours</span>" : "")<br><span class="meta">\(meta)</span></li>
            """
        }
        let found = candidates.papers.isEmpty ? "<p class=\"notice\" id=\"own-none\">No paper found \(esc(source)).</p>" : """
            <form method="post" action="/for-you/own-papers/claim" id="own-confirm">\(Forms.csrfField())
            <ul class="own-candidates" id="own-candidates">\(rows.joined())</ul>
            <button type="submit">These are mine</button> <a href="/for-you#own-papers">Cancel</a>
            </form>
            """
        let unknown = candidates.unknown.isEmpty ? "" : """
            <h2>Not found (\(candidates.unknown.count))</h2>
            <p class="meta">These could not be matched to a paper on this server; nothing was claimed for them.</p>
            <ul class="history" id="own-unknown">\(candidates.unknown.map { "<li>\(esc($0))</li>" }.joined())</ul>
            """
        let similar = candidates.similarNames.isEmpty ? "" : """
            <h2>Did you mean</h2>
            <ul class="history" id="own-similar">\(candidates.similarNames.map { author in
                "<li>" + Forms.post("/for-you/own-papers/find", button: author.name, fields: ["by": "name", "name": author.name], style: "link")
                    + " <span class=\"meta\">\(author.paperCount) papers</span></li>"
            }.joined())</ul>
            """
        return Layout.page(title: "Your own papers?", body: """
            <h1>Your own papers?</h1>
            <p class="explain">\(candidates.papers.count) \(candidates.papers.count == 1 ? "paper" : "papers") \(esc(source)). \
            Untick any that are not yours, then confirm: your own papers count for your feed as much as a save, and you can take each back on <a href="/for-you#own-papers">For you</a>.</p>
            \(found)
            \(unknown)
            \(similar)
            """)
    }

    /// The settings section: the claimed papers and the three forms.
    static func section(_ papers: [Paper], error: String?) -> String {
        let rows = papers.map { paper in
            "<li><a href=\"\(PaperListView.paperPath(paper.id))\">\(esc(paper.title))</a> "
                + Forms.post("/for-you/own-papers/remove", button: "Not mine", fields: ["paper": paper.id], style: "own-remove",
                             title: "It stops counting as your own paper") + "</li>"
        }
        let list = rows.isEmpty ? "<p class=\"meta\">None yet.</p>" : "<ul class=\"history\" id=\"own-list\">\(rows.joined())</ul>"
        return """
        <section id="own-papers">
        <h2>Your own papers</h2>
        <p class="meta">Papers you wrote teach your feed what you work on. Find them by your name as arXiv lists it, a BibTeX file or arXiv ids; you confirm each before it counts.</p>
        \(Forms.message(error))
        \(list)
        <form method="post" action="/for-you/own-papers/find" class="own-find" id="own-by-name">\(Forms.csrfField())<input type="hidden" name="by" value="name">
        <input type="text" name="name" required maxlength="200" placeholder="Your name, e.g. Jane Doe" aria-label="Your name as an arXiv author">
        <button type="submit">Find my papers</button></form>
        <form method="post" action="/for-you/own-papers/find" enctype="multipart/form-data" class="own-find" id="own-by-bibtex">\(Forms.csrfField())<input type="hidden" name="by" value="bibtex">
        <input type="file" name="bibtex" accept=".bib,.bibtex,.txt,text/plain" required aria-label="A BibTeX file of your papers">
        <button type="submit">Read the BibTeX file</button></form>
        <form method="post" action="/for-you/own-papers/find" class="own-find" id="own-by-ids">\(Forms.csrfField())<input type="hidden" name="by" value="ids">
        <textarea name="ids" required rows="3" placeholder="arXiv ids or addresses, one a line" aria-label="arXiv ids of your papers"></textarea>
        <button type="submit">Find these papers</button></form>
        </section>
        """
    }
}
