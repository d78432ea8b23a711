import Foundation
import HTTPTypes
import Hummingbird
import QuireCore
import ReaderActions
import Storage

/// "For you": the page and `/api/me/feed`, and the three signals readers
/// give the feed ("Not interested", "More like this", "Mark as read") as
/// forms on pages and as API calls. The private feed link and the mutes,
/// managed on the page, are in `ForYouController+PrivateFeed` and `+Mutes`.
struct ForYouController {
    let gate: Gate
    /// Finds the paper a form or call names.
    let lookup: PaperLookup
    let feed: ForYouFeed
    let signals: FeedSignalActions
    /// Trending papers, shown until the reader has given enough positives.
    let lists: DailyLists
    let privateFeeds: PrivateFeedActions
    let mutes: MuteActions
    /// Which collections are interests of their own, and the buttons that change it.
    let interests: InterestActions
    /// "My own papers" (`ForYouController+OwnPapers`).
    let ownPapers: OwnPaperActions
    /// The private feed's links are absolute.
    let site: PublicSite

    func addRoutes(pages: RouterGroup<AppRequestContext>, api: RouterGroup<AppRequestContext>, feeds: RouterGroup<AppRequestContext>) {
        pages.get("/for-you", use: page)
        pages.post("/feed-signal", use: signalForm)
        pages.post("/for-you/feed-link", use: resetFeedLink)
        pages.post("/for-you/mutes", use: addMute)
        pages.post("/for-you/mutes/remove", use: removeMute)
        pages.post("/for-you/mutes/everywhere", use: muteEverywhere)
        pages.post("/for-you/interests", use: interestForm)
        pages.post("/for-you/own-papers/find", use: findOwnPapers)
        pages.post("/for-you/own-papers/claim", use: claimOwnPapers)
        pages.post("/for-you/own-papers/remove", use: removeOwnPaperForm)
        api.on(APIContract.ownPapers, use: apiOwnPapers)
        api.on(APIContract.claimOwnPapers, use: apiClaimOwnPapers)
        api.on(APIContract.removeOwnPaper, use: apiRemoveOwnPaper)
        feeds.get("/feeds/for-you/:token/:format", use: privateFeed)
        api.on(APIContract.myFeed, use: apiFeed)
        api.on(APIContract.myInterests, use: apiInterests)
        api.on(APIContract.addInterest, use: { try await apiSetInterest($0, $1, on: true) })
        api.on(APIContract.removeInterest, use: { try await apiSetInterest($0, $1, on: false) })
        for (operation, kind, on) in APIContract.feedSignalOperations {
            api.on(operation, use: { try await apiSignal($0, $1, kind: kind, on: on) })
        }
    }

    /// What the reader sees: their picks, or trending papers and papers to start from.
    enum Shown {
        case picks([ForYouFeed.Pick], positives: Int, training: Duration?)
        case warmingUp(positives: Int, onboarding: [Paper], trending: [Paper], modelAvailable: Bool)
    }

    /// `interest`: one of the reader's interests, or nil for all of them blended.
    func shown(for user: User, limit: Int, since: Day?, withOnboarding: Bool, interest: ReaderInterest.ID? = nil) async throws -> Shown {
        switch try await feed.feed(for: user, limit: limit, since: since, interest: interest) {
        case .picks(let picks, let positives, _, let training):
            return .picks(picks, positives: positives, training: training)
        case .warmingUp(let positives, let hidden, let mutes):
            let onboarding = withOnboarding ? mutes.filter(try await feed.onboarding(for: user, hidden: hidden)) : []
            let shownAlready = Set(onboarding.map(\.id))
            let trending = try await DailyListQuery(days: nil, submitter: nil, sort: .trending, page: 0, limit: 100).run(lists).items
                .filter { paper in
                    !hidden.contains(paper.id) && !shownAlready.contains(paper.id) && since.map { (paper.listDay ?? $0) >= $0 } ?? true
                        && !mutes.hides(paper)
                }
            return .warmingUp(positives: positives, onboarding: onboarding, trending: Array(trending.prefix(limit)),
                              modelAvailable: feed.hasModel)
        }
    }

    // MARK: Pages

    func page(_ request: Request, context: AppRequestContext) async throws -> HTMLPage {
        let user = try gate.user(request, context)
        return try await page(for: user, interest: try ReaderInterest.ID.choice(request.uri.queryParameters.get("interest")))
    }

    /// The page, with what a form just did (`settings`' message or new link) in its settings part.
    func page(for user: User, notice: ForYouSettings.Notice? = nil, status: HTTPResponse.Status = .ok,
              interest: ReaderInterest.ID? = nil) async throws -> HTMLPage {
        let muteSettings = try await mutes.settings(of: user)
        let excludedIDs = try await signals.signals(of: user).filter { $0.kind == .excluded }.map(\.paperID)
        let titles = Dictionary(try await lookup.store.papers(ids: excludedIDs).map { ($0.id, $0.title) }, uniquingKeysWith: { first, _ in first })
        let settings = ForYouSettings(hasLink: try await privateFeeds.hasLink(user), mutes: try await mutes.named(muteSettings),
                                      everywhere: muteSettings.everywhere, notice: notice, ownPapers: try await ownPapers.list(of: user),
                                      excluded: excludedIDs.map { ($0, titles[$0] ?? $0) })
        let shown = try await shown(for: user, limit: 30, since: nil, withOnboarding: true, interest: interest)
        let interestsShown = ForYouPage.Interests(all: try await feed.interests(of: user), chosen: interest,
                                                  collections: try await interests.collections(of: user))
        return HTMLPage(html: ForYouPage.render(shown, interests: interestsShown, settings: settings), status: status)
    }

    /// One button of a paper's entry: `kind` on (`on=1`) or off (`on=0`), then back to the page.
    func signalForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await gate.writer(request, context)
        guard let kind = context.form["kind"].flatMap(FeedSignalKind.init(rawValue:)) else {
            throw PageError(status: .badRequest, title: "Not understood",
                            message: "kind must be one of \(FeedSignalKind.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        let paper = try await lookup.paper(context.form["paper"] ?? "")
        try await signals.set(kind, on: context.form["on"] != "0", paperID: paper.id, by: user)
        if InPlace.wanted(request) {
            // The list's three buttons as one box, in their new state; `back` ends with the entry's anchor.
            let back = context.form["back"].map { String($0.split(separator: "#", maxSplits: 1).first ?? "") }
            let anchor = context.form["back"].flatMap { $0.split(separator: "#", maxSplits: 1).dropFirst().first.map(String.init) }
            let marked = try await signals.kinds(on: paper.id, by: user)
            return InPlace.response(back: back) { FeedSignalButtons.all(paper.id, marked: marked, anchor: anchor) }
        }
        let path = context.form["back"].flatMap(Gate.localPath) ?? "/for-you"
        return Response(status: .seeOther, headers: [.location: path])
    }

    // MARK: API

    /// A pick in Hugging Face's paper shape, plus why it is there.
    struct FeedEntry: Encodable {
        struct Because: Encodable { var paperId: String; var title: String; var liking: String }
        struct Interest: Encodable { var id: String; var name: String }
        var paper: HFPaper
        var reason: String
        var because: [Because]
        var sharedWords: [String]
        var trending: Bool
        /// Nil for a trending paper.
        var interest: Interest?
        enum CodingKeys: String, CodingKey { case reason, because, sharedWords, trending, interest }

        func encode(to encoder: any Encoder) throws {
            try paper.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(reason, forKey: .reason)
            try container.encode(because, forKey: .because)
            try container.encode(sharedWords, forKey: .sharedWords)
            try container.encode(trending, forKey: .trending)
            try container.encode(interest, forKey: .interest)
        }
    }

    func apiFeed(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try gate.user(request, context)
        let q = QueryReader(request, error: APIError.badRequest)
        let limit = try q.int("limit", default: 20, range: APIContract.feedLimits)
        var since: Day?
        if let text = q.string("since") {
            guard let day = Day(text) else { throw APIError.badRequest("since must be a real day written YYYY-MM-DD, not '\(text.prefix(40))'") }
            since = day
        }
        let interest = try ReaderInterest.ID.choice(q.string("interest"))
        let entries: [FeedEntry]
        switch try await shown(for: user, limit: limit, since: since, withOnboarding: false, interest: interest) {
        case .picks(let picks, _, _):
            entries = picks.map { pick in
                FeedEntry(paper: HFPaper(pick.paper), reason: pick.reason,
                          because: pick.because.map { .init(paperId: $0.paperID, title: $0.title, liking: $0.liking.rawValue) },
                          sharedWords: pick.sharedWords, trending: false,
                          interest: .init(id: pick.interest.description, name: pick.interestName))
            }
        case .warmingUp(let positives, _, let trending, let modelAvailable):
            let reason = ForYouPage.warmingUpReason(positives: positives, modelAvailable: modelAvailable)
            entries = trending.map { FeedEntry(paper: HFPaper($0), reason: reason, because: [], sharedWords: [], trending: true) }
        }
        return try jsonResponse(entries)
    }

    struct FeedSignalState: Encodable { var paperId: String; var kind: String; var on: Bool }

    func apiSignal(_ request: Request, _ context: AppRequestContext, kind: FeedSignalKind, on: Bool) async throws -> Response {
        let user = try await gate.writer(request, context)
        let raw = try context.parameters.require("paper")
        let paper = try await lookup.paper(raw.removingPercentEncoding ?? raw)
        try await signals.set(kind, on: on, paperID: paper.id, by: user)
        return try jsonResponse(FeedSignalState(paperId: paper.id, kind: kind.rawValue, on: on))
    }
}
