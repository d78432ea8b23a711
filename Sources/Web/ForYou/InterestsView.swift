import Foundation
import ReaderActions
import Storage

/// The reader's interests on `/for-you`: links to see all of them blended
/// or one at a time, the sentence that says how the blend is made, and the
/// list of collections, each with its button to make it an interest (the
/// same button as on the collection's page).
enum InterestsView {
    /// How the blend is made, said on the page.
    static let blendRule = "your interests take turns, each adding its best paper not shown yet: the first pick of each, then the next of each, and so on, so a small interest is never drowned by a large one."

    /// "All interests · Everything you liked · Robotics (2 of 5 papers)": the one shown is not a link.
    static func tabs(_ interests: [ReaderInterest], chosen: ReaderInterest.ID?) -> String {
        guard interests.count > 1 else { return "" }
        let all = chosen == nil ? "<b>All interests</b>" : "<a href=\"/for-you\">All interests</a>"
        let each = interests.map { interest in
            let label = esc(interest.name) + (interest.isReady ? ""
                : " <span class=\"meta\">(\(interest.positiveIDs.count) of \(ForYouFeed.positivesNeeded) papers)</span>")
            return interest.id == chosen ? "<b>\(label)</b>" : "<a href=\"/for-you?interest=\(interest.id)\">\(label)</a>"
        }
        return "<p class=\"periods\" id=\"interests\">" + ([all] + each).joined(separator: " ") + "</p>"
    }

    /// The line above the picks: the blend's rule, or the one interest shown
    /// (and, when it is short of papers, that it picks nothing until it has them).
    static func explanation(_ interests: [ReaderInterest], chosen: ReaderInterest.ID?) -> String {
        guard let chosen, let interest = interests.first(where: { $0.id == chosen }) else {
            let ready = interests.filter(\.isReady)
            let waiting = interests.filter { !$0.isReady }
            guard interests.count > 1 else { return "" }
            return "<p class=\"explain\" id=\"blend\">All \(ready.count) of your interests that can pick, blended: \(esc(blendRule))"
                + (waiting.isEmpty ? "" : " Still too small to pick from: " + waiting.map { "“\(esc($0.name))”" }.joined(separator: ", ") + ".")
                + "</p>"
        }
        guard interest.isReady else {
            return "<p class=\"notice\" id=\"interest-short\">“\(esc(interest.name))” has \(interest.positiveIDs.count) of the \(ForYouFeed.positivesNeeded) papers an interest needs before it picks anything: save more papers to it. Until then it shows nothing rather than guesses.</p>"
        }
        return "<p class=\"explain\" id=\"blend\">Only “\(esc(interest.name))”: picked by a model trained on its \(interest.positiveIDs.count) papers.</p>"
    }

    /// The button that makes a collection an interest, or stops it being one; back to `back` after.
    static func toggle(collectionID: Int, isInterest: Bool, back: String) -> String {
        Forms.post("/for-you/interests", button: isInterest ? "Stop using it as an interest" : "Make it an interest of its own",
                   fields: ["collection": String(collectionID), "on": isInterest ? "0" : "1", "back": back], style: "interest-toggle",
                   title: isInterest ? "“For you” stops picking papers for this collection alone"
                       : "“For you” learns this collection's papers as an interest of its own")
    }

    /// The collection page's line: whether it is an interest, and the button.
    static func collectionLine(collectionID: Int, isInterest: Bool, back: String) -> String {
        "<p class=\"meta\" id=\"interest\">" + (isInterest
            ? "An interest of its own on <a href=\"/for-you?interest=\(collectionID)\">For you</a>. "
            : "Make it an interest of its own: <a href=\"/for-you\">For you</a> then picks papers like this collection's, apart from the rest. ")
            + toggle(collectionID: collectionID, isInterest: isInterest, back: back) + "</p>"
    }

    /// `/for-you`'s section listing the reader's collections with their buttons.
    static func section(_ collections: [(collection: PaperCollection, isInterest: Bool)]) -> String {
        let rows = collections.map { entry in
            let c = entry.collection
            return "<li><a href=\"/collections/\(c.id)\">\(esc(c.name))</a> <span class=\"meta\">\(c.paperCount) paper\(c.paperCount == 1 ? "" : "s")\(entry.isInterest ? " · an interest" : "")</span> "
                + toggle(collectionID: c.id, isInterest: entry.isInterest, back: "/for-you#your-interests") + "</li>"
        }.joined()
        return """
        <section id="your-interests">
        <h2>Your interests</h2>
        <p class="meta">Everything you like is one interest. Make a collection an interest of its own and “For you” learns it apart, so a small field is not drowned by a large one (at most \(InterestActions.maxCollections); each needs \(ForYouFeed.positivesNeeded) papers).</p>
        \(collections.isEmpty ? "<p class=\"meta\">No collections yet: press “Save” on any paper.</p>" : "<ul class=\"collections\">\(rows)</ul>")
        </section>
        """
    }
}
