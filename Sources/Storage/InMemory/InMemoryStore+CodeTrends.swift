import Foundation
import QuireCore

extension InMemoryStore: CodeTrendStore {
    public func repositoriesToCheck(checkedBefore: Date, limit: Int) async throws -> [RepositoryToCheck] {
        let addresses = Set(papers.values.compactMap(\.paper.githubRepo))
        let due = addresses.compactMap { address -> (String, Date?)? in
            let checked = githubChecks[address]?.checkedAt
            if let checked, checked >= Self.stored(checkedBefore) { return nil }
            return (address, checked)
        }
        return due.sorted { a, b in
            switch (a.1, b.1) {
            case (nil, nil): a.0 < b.0
            case (nil, _): true
            case (_, nil): false
            case (let x?, let y?): x != y ? x < y : a.0 < b.0
            }
        }.prefix(max(0, limit)).map { RepositoryToCheck(address: $0.0, etag: githubChecks[$0.0]?.etag) }
    }

    public func recordCheck(_ check: RepositoryCheck, now: Date) async throws {
        let now = Self.stored(now)
        switch check.outcome {
        case .stars(let stars, let etag):
            starCounts[check.address, default: [:]][Day(date: now)] = stars
            for (id, stored) in papers where stored.paper.githubRepo == check.address { papers[id]?.paper.githubStars = stars }
            githubChecks[check.address] = (etag, now)
        case .unchanged, .gone:
            githubChecks[check.address] = (githubChecks[check.address]?.etag, now)
        }
    }

    public func papersByStarGrowth(since: Day, listed: (from: Day, to: Day)?, submitter: String?, categories: CategorySelection,
                                   offset: Int, limit: Int) async throws -> ResultPage<StarGrowth> {
        let ranked = papers.values.compactMap { stored -> (StarGrowth, Int)? in
            guard let address = stored.paper.githubRepo, let counts = starCounts[address], categories.accepts(stored.paper.categories),
                  listed.map({ listed in stored.paper.listDay.map { listed.from <= $0 && $0 < listed.to } ?? false }) ?? true,
                  submitter == nil || stored.paper.submittedBy == submitter,
                  let newest = counts.keys.max(), let first = counts.keys.min(), let stars = counts[newest] else { return nil }
            let baseDay = counts.keys.filter { $0 <= since }.max() ?? first
            let gained = stars - (counts[baseDay] ?? stars)
            return (StarGrowth(paperID: stored.paper.id, gained: gained, stars: stars), stored.seq)
        }.sorted { a, b in
            a.0.gained != b.0.gained ? a.0.gained > b.0.gained : a.0.stars != b.0.stars ? a.0.stars > b.0.stars : a.1 > b.1
        }.map(\.0)
        return ResultPage(items: Array(ranked.dropFirst(max(0, offset)).prefix(max(0, limit))), total: ranked.count)
    }
}
