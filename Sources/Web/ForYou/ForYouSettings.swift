import Foundation
import QuireCore
import ReaderActions
import Storage

/// The settings part of `/for-you`: the reader's own papers, the papers
/// left out of the reasons (each can count again), the private feed link
/// (made or reset by a button, shown once) and the mutes, listed by name,
/// each removable.
struct ForYouSettings {
    enum Notice {
        /// The link just made: the only time it can be shown.
        case newLink(String)
        case error(String)
        /// A refused search or claim of one's own papers.
        case ownPapersError(String)
    }
    var hasLink: Bool
    var mutes: [MuteActions.Named]
    var everywhere: Bool
    var notice: Notice?
    var ownPapers: [Paper] = []
    /// Papers the reader said not to use ("don't use this"), newest first.
    var excluded: [(id: String, title: String)] = []

    func render() -> String {
        var ownError: String?
        if case .ownPapersError(let message) = notice { ownError = message }
        return OwnPapersPage.section(ownPapers, error: ownError) + "\n" + excludedList() + "\n" + feedLink() + "\n" + muteList()
    }

    private func excludedList() -> String {
        let rows = excluded.map { paper in
            "<li><a href=\"\(PaperListView.paperPath(paper.id))\">\(esc(paper.title))</a> "
                + FeedSignalButtons.button(.excluded, paperID: paper.id, on: false, anchor: "not-used") + "</li>"
        }
        return """
        <section id="not-used">
        <h2>Not used for your picks</h2>
        <p class="meta">Papers you told your feed not to use (“don’t use this” beside a reason): they count for nothing and are never named, though your upvotes and collections keep them.</p>
        \(rows.isEmpty ? "<p class=\"meta\">None.</p>" : "<ul class=\"history\" id=\"not-used-list\">\(rows.joined())</ul>")
        </section>
        """
    }

    private func feedLink() -> String {
        var newLink: String?
        if case .newLink(let link) = notice { newLink = link }
        let shown: String
        if let newLink {
            let links = FeedFormat.allCases.map { format in
                let url = FeedsController.url(newLink, format)
                return "<li><span class=\"meta\">\(FeedsController.label(format))</span> <input type=\"text\" readonly class=\"feed-url\" value=\"\(esc(url))\" aria-label=\"Your private \(format.rawValue) feed\"> <a href=\"\(esc(url))\">open</a></li>"
            }.joined()
            shown = """
            <p class="ok" role="status">Your new private feed link. Copy it now into your feed reader: it is shown only this once, and any older link has stopped working.</p>
            <ul class="feed-links" id="feed-links">\(links)</ul>
            """
        } else if hasLink {
            shown = "<p class=\"meta\">You have a private feed link (shown once, when it was made). Lost it, or shared it by mistake? Reset it: the old one stops working.</p>"
        } else {
            shown = "<p class=\"meta\">Follow your picks in a feed reader (RSS, Atom or JSON Feed) without logging in, at a link only you know.</p>"
        }
        return """
        <section id="private-feed">
        <h2>Your private feed</h2>
        \(shown)
        \(Forms.post("/for-you/feed-link", button: hasLink || newLink != nil ? "Reset the link" : "Make a private feed link", style: "feed-link"))
        </section>
        """
    }

    private func muteList() -> String {
        var error: String?
        if case .error(let message) = notice { error = message }
        let rows = mutes.map { named in
            let label = switch named.mute.kind { case .phrase: "word"; case .author: "author"; case .category: "category" }
            return "<li><span class=\"meta\">\(label)</span> \(esc(named.name)) "
                + Forms.post("/for-you/mutes/remove", button: "Remove", fields: ["kind": named.mute.kind.rawValue, "value": named.mute.value],
                             style: "mute-remove", title: "Show papers with \(named.name) again") + "</li>"
        }
        let list = rows.isEmpty ? "<p class=\"meta\">Nothing muted.</p>" : "<ul class=\"history\" id=\"mute-list\">\(rows.joined())</ul>"
        let everywhereForm = Forms.post("/for-you/mutes/everywhere", button: everywhere ? "Mute in “For you” only" : "Mute in every list too",
                                        fields: ["on": everywhere ? "0" : "1"], style: "mute-everywhere")
        return """
        <section id="mutes">
        <h2>Muted</h2>
        <p class="meta">Papers with these words, by these authors or in these categories never show in “For you” or its part of your digest\
        \(everywhere ? ", nor in any list (the days, trending, search)" : "; other lists still show them"). \(everywhereForm)</p>
        \(Forms.message(error))
        \(list)
        <form method="post" action="/for-you/mutes" class="mute-add">\(Forms.csrfField())
        <label>Mute <select name="kind"><option value="phrase">a word or phrase</option><option value="author">an author</option><option value="category">a category</option></select></label>
        <input type="text" name="value" required maxlength="200" placeholder="e.g. diffusion, Jane Doe, cs.CR" aria-label="What to mute">
        <button type="submit">Mute</button></form>
        </section>
        """
    }
}
