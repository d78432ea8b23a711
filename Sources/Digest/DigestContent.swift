import Foundation
import QuireCore
import ReaderActions
import Recommendations
import Search
import Storage

/// What one digest holds: named sections of papers, none of them mailed to
/// this reader before.
public struct DigestContent: Sendable {
    public struct Section: Sendable {
        public var title: String
        public var papers: [Paper]
        /// Why each paper was picked, by paper id ("For you" only).
        public var reasons: [String: String] = [:]
        /// Each paper gets a signed "Not interested" link ("For you" only).
        public var dismissible = false
        public init(title: String, papers: [Paper], reasons: [String: String] = [:], dismissible: Bool = false) {
            self.title = title; self.papers = papers; self.reasons = reasons; self.dismissible = dismissible
        }
    }
    public var sections: [Section]

    public init(sections: [Section]) { self.sections = sections }

    public var isEmpty: Bool { sections.allSatisfy { $0.papers.isEmpty } }
    public var paperIDs: [String] { sections.flatMap { $0.papers.map(\.id) } }
}

/// Lists every digest of one run shares (the top of the list and trending
/// depend only on the window and the hour), so 10,000 digests ask the
/// database for them once, not 10,000 times.
public actor SharedLists {
    private var lists: [String: [Paper]] = [:]

    public init() {}

    func papers(_ key: String, load: @Sendable () async throws -> [Paper]) async throws -> [Paper] {
        if let cached = lists[key] { return cached }
        let loaded = try await load()
        lists[key] = loaded
        return loaded
    }
}

/// Chooses a digest's papers from the reader's settings: the reader's
/// "For you" picks among the window's papers (once they have enough
/// positives, mutes applied; unless turned off), the
/// top of the daily list by upvotes, trending, followed authors and
/// organizations, and new matches of saved searches. A paper appears once
/// per digest, and never in two digests.
public struct DigestBuilder: Sendable {
    let store: any QuireStore
    let search: SearchService
    /// Nil without the semantic index: no "For you" section.
    let forYou: ForYouFeed?

    public init(store: any QuireStore, search: SearchService, forYou: ForYouFeed? = nil) {
        self.store = store; self.search = search; self.forYou = forYou
    }

    /// The builder mailed digests use, and their previews: the "For you"
    /// picks are the feed's own (the same model and rules as /for-you) when
    /// there is a semantic index.
    public static func standard(store: any QuireStore, search: SearchService, models: ReaderModelCache = ReaderModelCache()) -> DigestBuilder {
        DigestBuilder(store: store, search: search,
                      // The picks are the feed's own: the same model and rules as /for-you.
                      forYou: search.semantic.map {
                          ForYouFeed(store: store, recommender: Recommender(index: $0.index, keywords: search.keywordIndex), models: models)
                      })
    }

    /// The title of the section of the reader's own picks.
    public static let forYouTitle = "For you"

    /// The list days a digest at `slot` covers: from the last digest (or one
    /// period back) through the slot's own day.
    public static func window(slot: DigestSlot, subscription: Subscription, lastSent: Date?) -> (from: Day, to: Day) {
        let through = Day(date: slot.time)
        if let lastSent { return (Day(date: lastSent), through.adding(days: 1)) }
        let back = subscription.frequency == .weekly ? 7 : (slot.day.isoWeekday == 1 ? 3 : 1)
        return (Day(date: slot.time).adding(days: -back), through.adding(days: 1))
    }

    public func build(user: User, subscription: Subscription, slot: DigestSlot, excluding mailed: Set<String>, lastSent: Date?,
                      shared: SharedLists = SharedLists()) async throws -> DigestContent {
        let (from, to) = Self.window(slot: slot, subscription: subscription, lastSent: lastSent)
        let limit = subscription.maxPapers
        var seen = mailed
        var sections: [DigestContent.Section] = []
        func add(_ title: String, _ candidates: [Paper], reasons: [String: String] = [:], dismissible: Bool = false) {
            var chosen: [Paper] = []
            for paper in candidates where !seen.contains(paper.id) && chosen.count < limit {
                chosen.append(paper)
                seen.insert(paper.id)
            }
            if !chosen.isEmpty { sections.append(.init(title: title, papers: chosen, reasons: reasons, dismissible: dismissible)) }
        }
        let depth = limit + mailed.count
        let store = self.store
        // The reader's best picks first, among the papers this digest covers
        // (its window), every interest blended: the picks leave out what the
        // reader signalled or muted, and `seen` what was mailed.
        if subscription.includeForYou, let forYou,
           case .picks(let picks, _, _, _) = try await forYou.feed(for: user, limit: min(depth, ForYouFeed.limits.upperBound), since: from, until: to) {
            add(Self.forYouTitle, picks.map(\.paper), reasons: Dictionary(picks.map { ($0.paper.id, $0.reason) }, uniquingKeysWith: { a, _ in a }),
                dismissible: true)
        }
        if subscription.includeTop {
            add("Top of the daily list", try await shared.papers("top \(from) \(to) \(depth)") {
                try await store.papers(from: from, to: to, submitter: nil, sort: .upvotes, offset: 0, limit: depth).items
            })
        }
        if subscription.includeTrending {
            add("Trending", try await shared.papers("trending \(slot.time.timeIntervalSince1970) \(depth)") {
                let signals = try await store.listSignals(from: to.adding(days: -Trending.windowDays), to: to)
                let ranked = Trending.rank(signals.map { ($0.id, $0.upvotes, $0.listedAt) }, now: slot.time)
                return try await store.papers(ids: Array(ranked.prefix(depth)))
            })
        }
        if subscription.includeFollowed {
            add("From authors and organizations you follow", try await store.papersFollowed(by: user.id, from: from, to: to, limit: depth))
        }
        if subscription.includeSavedSearches {
            for saved in try await store.savedSearches(userID: user.id) where saved.alert {
                guard var query = try? SearchQuery.parse(saved.query), let categories = try? CategorySelection(parsing: saved.categories) else { continue }
                query.filters.categories = categories
                if query.filters.after.map({ $0 < from }) ?? true { query.filters.after = from }
                // One saved search that cannot run leaves the others and the rest of the digest alone.
                guard let hits = try? await search.search(query, sort: .relevance, page: 0, limit: min(depth, SearchService.maxDepth)).hits else { continue }
                add("New for your search “\(saved.query)”" + (categories.isEverything ? "" : " in \(categories.listed)"), hits.map(\.paper))
            }
        }
        return DigestContent(sections: sections)
    }
}
