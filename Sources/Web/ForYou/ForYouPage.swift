import Foundation
import ReaderActions
import Storage

/// `/for-you`: the reader's picks with their reasons; or, until the reader
/// has given enough positives, papers to pick from and trending papers, with
/// a line that says which it is.
enum ForYouPage {
    /// The reader's interests, the one shown (nil: all, blended) and their collections.
    struct Interests {
        var all: [ReaderInterest]
        var chosen: ReaderInterest.ID?
        var collections: [(collection: PaperCollection, isInterest: Bool)]
    }

    static func render(_ shown: ForYouController.Shown, interests: Interests, settings: ForYouSettings) -> String {
        switch shown {
        case .picks(let picks, let positives, let training):
            let trained = training.map { " Your model was just trained again (\(milliseconds($0)) ms)." } ?? ""
            // With several interests each pick says which one it is for.
            let labelled = interests.all.count > 1
            let entries = picks.map { pick in
                FeedSignalButtons.entry(pick.paper, kinds: [.notInterested, .read],
                                        reason: (labelled ? "For “\(pick.interestName)” · " : "") + pick.reason,
                                        reasonControls: FeedSignalButtons.notUsing(pick.because, anchor: PaperListView.anchor(pick.paper.id)))
            }
            let short = interests.chosen.flatMap { id in interests.all.first { $0.id == id } }.map { !$0.isReady } ?? false
            let empty = short ? "" : "<p class=\"notice\">Nothing left to pick: you have seen every paper.</p>"
            return Layout.page(title: "For you", body: """
                <h1>For you</h1>
                <p class="explain">Picked for you from your \(positives) upvotes, saves, own papers and “More like this”,\
                 and, less, the papers you open and the authors you follow.\
                 Each says why; “don’t use” beside a reason stops that paper counting, “Not interested” teaches your model what to avoid, “Mark as read” only hides a paper.\(trained)</p>
                \(InterestsView.tabs(interests.all, chosen: interests.chosen))
                \(InterestsView.explanation(interests.all, chosen: interests.chosen))
                \(entries.isEmpty ? empty : "<ol class=\"papers\" id=\"picks\">\n" + entries.joined(separator: "\n") + "\n</ol>")
                \(InterestsView.section(interests.collections))
                \(settings.render())
                """)
        case .warmingUp(let positives, let onboarding, let trending, let modelAvailable):
            let pickList = onboarding.isEmpty ? "" : """
                <h2>Pick \(ForYouFeed.positivesNeeded) papers you like</h2>
                <ol class="papers" id="onboarding">
                \(onboarding.map { FeedSignalButtons.entry($0, kinds: [.moreLikeThis]) }.joined(separator: "\n"))
                </ol>
                """
            let trendingList = trending.map {
                FeedSignalButtons.entry($0, kinds: [.moreLikeThis, .notInterested, .read])
            }.joined(separator: "\n")
            return Layout.page(title: "For you", body: """
                <h1>For you</h1>
                <p class="explain" id="warming-up">\(esc(warmingUpReason(positives: positives, modelAvailable: modelAvailable)))</p>
                \(pickList)
                <h2>Trending meanwhile</h2>
                \(trending.isEmpty ? "<p class=\"notice\">Nothing is trending yet.</p>" : "<ol class=\"papers\" id=\"trending\">\n" + trendingList + "\n</ol>")
                \(InterestsView.section(interests.collections))
                \(settings.render())
                """)
        }
    }

    /// What the feed says while it shows trending papers.
    static func warmingUpReason(positives: Int, modelAvailable: Bool) -> String {
        guard modelAvailable else {
            return "Trending papers: this server runs without paper vectors (semantic search is off), so it cannot learn your interests yet."
        }
        let needed = ForYouFeed.positivesNeeded
        return "Trending papers, until you pick \(needed) papers you like: \(min(positives, needed)) of \(needed) so far. "
            + "“More like this”, an upvote, a save or one of your own papers each count."
    }

    static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        return String(format: "%.1f", Double(seconds) * 1000 + Double(attoseconds) / 1e15)
    }
}
