import Foundation
import QuireCore
import ReaderActions
import Storage

/// The reader's feed signals as `/account` lists them: the papers marked as
/// read (the reading history) and the ones dismissed or asked more like,
/// newest first, each with a button to take it back.
struct ReadingHistory: Sendable {
    let signals: FeedSignalActions
    let papers: any PaperStore

    struct Entry: Sendable { var signal: FeedSignal; var title: String }

    func load(for user: User) async throws -> [Entry] {
        let signals = try await signals.signals(of: user)
        let titles = Dictionary(try await papers.papers(ids: signals.map(\.paperID)).map { ($0.id, $0.title) },
                                uniquingKeysWith: { first, _ in first })
        return signals.map { Entry(signal: $0, title: titles[$0.paperID] ?? $0.paperID) }
    }

    /// Per kind on the page; the data download has them all.
    static let shownPerKind = 100

    static func render(_ entries: [Entry]) -> String {
        func section(_ kind: FeedSignalKind, heading: String, id: String, empty: String) -> String {
            let all = entries.filter { $0.signal.kind == kind }
            let more = all.count > shownPerKind ? "<p class=\"meta\">and \(all.count - shownPerKind) earlier ones, in your data download.</p>" : ""
            let rows = all.prefix(shownPerKind).map { entry in
                """
                <li><a href="\(PaperListView.paperPath(entry.signal.paperID))">\(esc(entry.title))</a> \
                <span class="meta">\(Layout.display(entry.signal.createdAt))</span> \
                \(FeedSignalButtons.button(kind, paperID: entry.signal.paperID, on: false))</li>
                """
            }
            return "<h3>\(esc(heading))</h3>" + (rows.isEmpty ? "<p class=\"meta\">\(esc(empty))</p>" : "<ul class=\"history\" id=\"\(id)\">\(rows.joined())</ul>" + more)
        }
        return """
        <h2>Reading history and feed signals</h2>
        <p class="meta">What you told <a href="/for-you">your feed</a>. Included in your data download.</p>
        <p class="meta" id="opened-note">Papers whose page you open while signed in are noted too, once each \
        (\(entries.filter { $0.signal.kind == .opened }.count) so far): they count a little for your feed, far less than a like, \
        and are never picked for it again.</p>
        \(section(.read, heading: "Marked as read", id: "read-history", empty: "Nothing marked as read yet."))
        \(section(.notInterested, heading: "Not interested", id: "not-interested", empty: "Nothing dismissed."))
        \(section(.moreLikeThis, heading: "More like this", id: "more-like-this", empty: "None yet."))
        """
    }
}
