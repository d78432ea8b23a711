import Foundation
import QuireCore
import Storage

/// What Quire keeps between requests so its busiest pages cost a lookup, and
/// the rules for what may be kept.
///
/// - Whole responses (`responses`) for answers that are the same for everyone
///   who may get them: list pages seen by anonymous readers, and the JSON of
///   `/api/daily_papers` (which depends on nobody). A signed-in reader's page
///   shows their name, their upvotes and saves, and forms with their CSRF
///   token, so it is rendered for them every time, from
/// - the lists behind the pages (`lists`): `DailyListQuery` results, the same
///   for every viewer.
///
/// Every key holds the store's change generation (see `ChangeTracking`), so a
/// write empties the cache: readers see their own upvote on the next page,
/// and an import by another process within the store's poll interval. Every
/// key also holds the current minute (`clockKey`).
final class PageCache: Sendable {
    let responses: GenerationCache<BufferedResponse>
    let lists: GenerationCache<ResultPage<Paper>>

    static let defaultResponseLimits = GenerationCache<BufferedResponse>.Limits(entries: 2_000, bytes: 64 << 20)
    static let defaultListLimits = GenerationCache<ResultPage<Paper>>.Limits(entries: 1_000, bytes: 64 << 20)

    init(responseLimits: GenerationCache<BufferedResponse>.Limits = defaultResponseLimits,
         listLimits: GenerationCache<ResultPage<Paper>>.Limits = defaultListLimits) {
        responses = GenerationCache(limits: responseLimits) { $0.cost }
        lists = GenerationCache(limits: listLimits) { page in
            page.items.reduce(64) { $0 + Self.cost(of: $1) }
        }
    }

    /// Nothing kept outlives the minute it was made in: trending scores move
    /// with the clock, and the day "today" is changes at midnight. A page made
    /// once a minute costs nothing next to one made per request.
    static func clockKey(_ now: Date) -> String {
        String(Int64((now.timeIntervalSince1970 / 60).rounded(.down)))
    }

    /// Roughly what a paper costs in memory: its text, and a bit for the rest.
    private static func cost(of paper: Paper) -> Int {
        256 + paper.title.utf8.count + paper.abstract.utf8.count + paper.authors.reduce(0) { $0 + 16 + $1.utf8.count }
    }
}
