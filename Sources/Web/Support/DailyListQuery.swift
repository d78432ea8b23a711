import Foundation
import QuireCore
import Storage

/// The query behind the daily list, in pages and in `/api/daily_papers`:
/// papers of a day, week or month (or all of them, newest first), in one order.
struct DailyListQuery {
    enum Sort: String { case publishedAt, trending, upvotes, stars }

    /// Lists (days, weeks, months, trending, authors, organizations) are
    /// served down to their 10,000th paper: deeper pages cost more to skip to
    /// than anyone reads. A month holds about 25,000 arXiv papers; the list
    /// pages show the most upvoted first.
    static let maxDepth = 10_000

    /// The days to list; nil for all of them (the trending window when trending).
    var days: DayRange?
    var submitter: String?
    /// Only papers in these categories (`category=`, or a reader's defaults).
    var categories: CategorySelection = .everything
    var sort: Sort
    var page: Int
    var limit: Int

    /// The list, from `lists.cache` when this query ran since the last write.
    func run(_ lists: DailyLists) async throws -> ResultPage<Paper> {
        // Every field of the query is in the key: a list narrowed to some
        // categories is never the entry of the whole list, nor of other categories.
        let key = "\(PageCache.clockKey(lists.now())) \(days.map { "\($0.first)..<\($0.end)" } ?? "all") \(sort) \(page) \(limit) "
            + "[\(categories.categories.joined(separator: ","))] \(submitter ?? "")"
        return try await lists.cache.value(key, generation: await lists.papers.changeGeneration()) {
            try await load(lists.papers, now: lists.now())
        }
    }

    private func load(_ store: any PaperStore & CodeTrendStore, now: Date) async throws -> ResultPage<Paper> {
        let (from, to) = try await bounds(store)
        switch sort {
        case .publishedAt, .upvotes:
            return try await store.papers(from: from, to: to, submitter: submitter, categories: categories,
                                          sort: sort == .upvotes ? .upvotes : .publishedAt,
                                          offset: page * limit, limit: limit)
        case .trending:
            var signals = try await store.listSignals(from: from, to: to, categories: categories)
            if let submitter {
                // Rare filter: narrow with the store rather than load every paper.
                let mine = Set(try await store.papers(from: from, to: to, submitter: submitter, sort: .publishedAt,
                                                      offset: 0, limit: 100_000).items.map(\.id))
                signals = signals.filter { mine.contains($0.id) }
            }
            let ranked = Trending.rank(signals.map { ($0.id, $0.upvotes, $0.listedAt) }, now: now)
            let slice = ranked.dropFirst(page * limit).prefix(limit)
            return ResultPage(items: try await store.papers(ids: Array(slice)), total: ranked.count)
        case .stars:
            return try await Self.starGrowth(store, listed: days.map { ($0.first, $0.end) }, submitter: submitter, categories: categories,
                                             page: page, limit: limit, now: now).papers
        }
    }

    /// Trending code (`CodeTrending`): the papers and what each gained.
    static func starGrowth(_ store: any PaperStore & CodeTrendStore, listed: (from: Day, to: Day)? = nil,
                           submitter: String? = nil, categories: CategorySelection, page: Int, limit: Int,
                           now: Date) async throws -> (papers: ResultPage<Paper>, gains: [String: StarGrowth]) {
        let since = Day(date: now).adding(days: -CodeTrending.windowDays)
        let growth = try await store.papersByStarGrowth(since: since, listed: listed, submitter: submitter, categories: categories,
                                                        offset: page * limit, limit: limit)
        let papers = try await store.papers(ids: growth.items.map(\.paperID))
        return (ResultPage(items: papers, total: growth.total), Dictionary(growth.items.map { ($0.paperID, $0) }, uniquingKeysWith: { a, _ in a }))
    }

    /// The half-open range of days to read. Without a period: everything for
    /// the dated orders, the trending window for trending.
    private func bounds(_ store: any PaperStore) async throws -> (Day, Day) {
        if let days { return (days.first, days.end) }
        let latest = try await store.latestListDay() ?? Day.today()
        if sort == .trending { return (latest.adding(days: -Trending.windowDays + 1), latest.adding(days: 1)) }
        return (Day(year: 1, month: 1, day: 1)!, Day(year: 9999, month: 12, day: 31)!)
    }
}

/// What a `DailyListQuery` runs against: the papers, and `PageCache.lists`,
/// which keeps each list until the store changes or the minute turns.
struct DailyLists: Sendable {
    let papers: any PaperStore & CodeTrendStore & ChangeTracking
    let cache: GenerationCache<ResultPage<Paper>>
    let now: @Sendable () -> Date
}
