import Foundation
import QuireCore
import Storage
import Testing

/// What every `CodeTrendStore` keeps true: repositories come up for a check
/// never-checked first, each once; a count updates the papers' stars; growth
/// is the newest count minus the count at the start of the window (or the
/// first count), narrowed by category and paged with an exact total.
@Suite(.postgresSchemas) struct CodeTrendStoreContract {
    static let day = Day(year: 2026, month: 11, day: 20) ?? Day(date: Date())
    static let (fast, slow, gone) = ("https://github.com/lab/fast", "https://github.com/lab/slow", "https://github.com/lab/gone")

    static func setUp(_ implementation: StoreImplementation) async throws -> any PaperStore & CodeTrendStore {
        let store = try await implementation.make(as: (any PaperStore & CodeTrendStore).self)
        _ = try await store.upsert([
            Paper(id: "2411.00001", title: "Fast", abstract: "x", categories: ["cs.LG"], githubRepo: fast, githubStars: 10, dailyDate: day),
            Paper(id: "2411.00002", title: "Slow", abstract: "x", categories: ["cs.CL"], githubRepo: slow, dailyDate: day),
            // Two papers, one repository.
            Paper(id: "2411.00003", title: "Slow again", abstract: "x", categories: ["math.CO"], githubRepo: slow, dailyDate: day),
            Paper(id: "2411.00004", title: "Gone", abstract: "x", categories: ["cs.LG"], githubRepo: gone, dailyDate: day),
            Paper(id: "2411.00005", title: "No code", abstract: "x", categories: ["cs.LG"], dailyDate: day),
        ])
        return store
    }

    @Test(arguments: StoreImplementation.allCases)
    func repositoriesComeUpNeverCheckedFirst(_ implementation: StoreImplementation) async throws {
        let store = try await Self.setUp(implementation)
        let t0 = Self.day.start
        #expect(try await store.repositoriesToCheck(checkedBefore: t0, limit: 10).map(\.address) == [Self.fast, Self.gone, Self.slow])
        try await store.recordCheck(RepositoryCheck(address: Self.fast, outcome: .stars(12, etag: "\"e1\"")), now: t0)
        try await store.recordCheck(RepositoryCheck(address: Self.gone, outcome: .gone), now: t0.addingTimeInterval(60))
        // Checked since: not due; due again later, the longest unchecked first, with its ETag.
        #expect(try await store.repositoriesToCheck(checkedBefore: t0, limit: 10).map(\.address) == [Self.slow])
        let later = try await store.repositoriesToCheck(checkedBefore: t0.addingTimeInterval(3600), limit: 2)
        #expect(later == [RepositoryToCheck(address: Self.slow, etag: nil), RepositoryToCheck(address: Self.fast, etag: "\"e1\"")])
        // A 304 keeps the ETag.
        try await store.recordCheck(RepositoryCheck(address: Self.fast, outcome: .unchanged), now: t0.addingTimeInterval(120))
        let fast = try await store.repositoriesToCheck(checkedBefore: t0.addingTimeInterval(3600), limit: 10).first { $0.address == Self.fast }
        #expect(fast?.etag == "\"e1\"")
        #expect(try await store.paper(id: "2411.00001")?.githubStars == 12)
    }

    @Test(arguments: StoreImplementation.allCases)
    func papersRankByStarsGainedInTheWindow(_ implementation: StoreImplementation) async throws {
        let store = try await Self.setUp(implementation)
        func count(_ address: String, _ stars: Int, daysAgo: Int) async throws {
            try await store.recordCheck(RepositoryCheck(address: address, outcome: .stars(stars, etag: nil)), now: Self.day.adding(days: -daysAgo).start)
        }
        try await count(Self.fast, 100, daysAgo: 10)
        try await count(Self.fast, 150, daysAgo: 7)
        try await count(Self.fast, 400, daysAgo: 0)   // +250 in the window
        try await count(Self.slow, 1_000, daysAgo: 3) // first counted in the window: from then
        try await count(Self.slow, 1_040, daysAgo: 1)
        try await count(Self.slow, 1_050, daysAgo: 0) // +50, and the most stars
        let since = Self.day.adding(days: -CodeTrending.windowDays)
        let all = try await store.papersByStarGrowth(since: since, categories: .everything, offset: 0, limit: 10)
        #expect(all.items == [StarGrowth(paperID: "2411.00001", gained: 250, stars: 400),
                              StarGrowth(paperID: "2411.00003", gained: 50, stars: 1_050),
                              StarGrowth(paperID: "2411.00002", gained: 50, stars: 1_050)])
        #expect(all.total == 3)
        #expect(try await store.paper(id: "2411.00002")?.githubStars == 1_050)
        let cl = try await store.papersByStarGrowth(since: since, categories: try CategorySelection(parsing: ["cs.CL"]), offset: 0, limit: 10)
        #expect(cl.items.map(\.paperID) == ["2411.00002"] && cl.total == 1)
        let second = try await store.papersByStarGrowth(since: since, categories: .everything, offset: 1, limit: 1)
        #expect(second.items.map(\.paperID) == ["2411.00003"] && second.total == 3)
        let past = try await store.papersByStarGrowth(since: since, categories: .everything, offset: 5, limit: 1)
        #expect(past.items.isEmpty && past.total == 3)
        let none = try await store.papersByStarGrowth(since: since, categories: try CategorySelection(parsing: ["q-bio"]), offset: 0, limit: 5)
        #expect(none.items.isEmpty && none.total == 0)
        // Narrowed to a period of the list, and to a submitter.
        let listed = try await store.papersByStarGrowth(since: since, listed: (Self.day, Self.day.adding(days: 1)), submitter: nil,
                                                        categories: .everything, offset: 0, limit: 5)
        #expect(listed.total == 3)
        let before = try await store.papersByStarGrowth(since: since, listed: (Self.day.adding(days: -3), Self.day), submitter: nil,
                                                        categories: .everything, offset: 0, limit: 5)
        #expect(before.items.isEmpty && before.total == 0)
        let submitted = try await store.papersByStarGrowth(since: since, listed: nil, submitter: "ada", categories: .everything, offset: 0, limit: 5)
        #expect(submitted.total == 0)
    }
}
