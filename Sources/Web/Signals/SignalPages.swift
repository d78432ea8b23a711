import Foundation
import QuireCore
import ReaderActions
import Storage

/// Pages for the reader's own things: submitting, collections, a new organization.
enum SignalPages {
    static func submit(rules: SubmissionRules, today: [Submission], message: String? = nil, ok: String? = nil, reference: String = "") -> String {
        let signedIn = Viewer.current.user != nil
        let mine = today.isEmpty ? "" : "<h2>Your submissions today</h2><ul>" + today.map {
            "<li><a href=\"\(PaperListView.paperPath($0.paperID))\">\(esc($0.paperID))</a></li>"
        }.joined() + "</ul>"
        return Layout.page(title: "Submit a paper", body: """
        <h1>Submit a paper to today's list</h1>
        \(Forms.message(ok, ok: true))\(Forms.message(message))
        <div class="explain"><p>The rules:</p><ul>
          <li>Up to \(rules.dailyCap) papers per reader per day.</li>
          <li>A paper goes on the list once: papers already on a day's list are refused.</li>
          <li>Only papers first published in the last \(rules.maxAgeDays) days.</li>
        </ul></div>
        \(signedIn ? """
        <form class="stack" method="post" action="/submit">
          \(Forms.csrfField())
          <label>arXiv id or link <input type="text" name="paper" value="\(esc(reference))" required placeholder="2410.17243 or https://arxiv.org/abs/2410.17243"></label>
          <label>Why read it? (optional) <textarea name="comment" maxlength="1000"></textarea></label>
          <button type="submit">Submit</button>
        </form>
        """ : "<p><a href=\"/login?next=/submit\">Log in</a> to submit papers.</p>")
        \(today.count > 0 ? "<p class=\"meta\">\(today.count) of \(rules.dailyCap) used today.</p>" : "")
        \(mine)
        """)
    }

    static func collections(_ collections: [PaperCollection], message: String? = nil) -> String {
        let rows = collections.map {
            "<li><a href=\"/collections/\($0.id)\">\(esc($0.name))</a> <span class=\"meta\">\($0.paperCount) paper\($0.paperCount == 1 ? "" : "s") · \($0.isPublic ? "public" : "private")</span></li>"
        }.joined()
        return Layout.page(title: "Your collections", body: """
        <h1>Your collections</h1>
        \(Forms.message(message))
        \(collections.isEmpty ? "<p>No collections yet: press “Save” on any paper.</p>" : "<ul class=\"collections\">\(rows)</ul>")
        <h2>New collection</h2>
        <form class="stack" method="post" action="/collections">
          \(Forms.csrfField())
          <label>Name <input type="text" name="name" maxlength="80" required></label>
          <label>Description <input type="text" name="description" maxlength="500"></label>
          <label><span><input type="checkbox" name="public" value="1"> Public (anyone with the link, and its feed)</span></label>
          <button type="submit">Create</button>
        </form>
        <p><a href="/organizations/new">Start an organization</a></p>
        """)
    }

    /// `isInterest`: whether the collection is one of its owner's interests (nil for anyone else).
    static func collection(_ collection: PaperCollection, entries: [CollectionEntry], marks: ReaderMarks, isInterest: Bool? = nil) -> String {
        let isOwner = Viewer.current.user?.username == collection.owner
        let base = "/collections/\(collection.id)"
        let list = entries.isEmpty ? "<p>This collection is empty.</p>" : "<ol class=\"papers\">" + entries.map { entry in
            var extra = entry.note.isEmpty ? "" : "<p class=\"note\"><b>Note:</b> \(esc(entry.note))</p>"
            if isOwner { extra += Forms.post(base + "/remove", button: "Remove", fields: ["paper": entry.paper.id], style: "link") }
            return PaperListView.entry(entry.paper, marks: marks, extra: extra)
        }.joined(separator: "\n") + "</ol>"
        let feed = "/feeds/collections/\(collection.id)"
        let ownerTools = isOwner ? """
        <details><summary>Edit collection</summary>
        <form class="stack" method="post" action="\(base)/edit">\(Forms.csrfField())
          <label>Name <input type="text" name="name" maxlength="80" value="\(esc(collection.name))" required></label>
          <label>Description <input type="text" name="description" maxlength="500" value="\(esc(collection.description))"></label>
          <label><span><input type="checkbox" name="public" value="1"\(collection.isPublic ? " checked" : "")> Public</span></label>
          <button type="submit">Save</button>
        </form>
        \(Forms.post(base + "/delete", button: "Delete this collection"))
        </details>
        """ : ""
        return Layout.page(title: collection.name, head: collection.isPublic ? FeedsController.discoveryLinks(feed, title: collection.name) : "", body: """
        <h1>\(esc(collection.name))</h1>
        <p class="meta">By \(esc(collection.owner)) · \(collection.isPublic ? "public" : "private") · \(entries.count) paper\(entries.count == 1 ? "" : "s") · Export: \(CitationDownload.allCases.map { "<a href=\"\(base)/\($0.collectionPath)\">\($0.name)</a>" }.joined(separator: ", "))</p>
        \(collection.description.isEmpty ? "" : "<p>\(esc(collection.description))</p>")
        \(collection.isPublic ? FeedsController.feedLinks(feed) : "")
        \(isInterest.map { InterestsView.collectionLine(collectionID: collection.id, isInterest: $0, back: base) } ?? "")
        \(ownerTools)
        \(list)
        """)
    }

    static func newOrganization(message: String? = nil, name: String = "") -> String {
        Layout.page(title: "Start an organization", body: """
        <h1>Start an organization</h1>
        \(Forms.message(message))
        <p>You become its admin: you approve who joins, and members claim the organization's papers.</p>
        <form class="stack" method="post" action="/organizations">
          \(Forms.csrfField())
          <label>Name <input type="text" name="name" maxlength="80" value="\(esc(name))" required></label>
          <button type="submit">Create</button>
        </form>
        """)
    }
}
