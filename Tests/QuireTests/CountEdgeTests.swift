import Foundation
@testable import Ingest
import QuireCore
import Storage
import Testing

/// Upvote and star counts come from outside (files, Hugging Face's API, old
/// databases): whatever they say, Quire holds them in a sane range and no sum,
/// sort or formula over them can trap.
@Suite struct CountEdgeTests {
    static let ceiling = 1_000_000_000

    @Test func aPaperHoldsItsCountsInTheSaneRange() {
        let high = Paper(id: "a", title: "t", abstract: "x", authorCount: Int.max, githubStars: Int.max, upvotes: Int.max)
        #expect(high.upvotes == Self.ceiling && high.githubStars == Self.ceiling && high.authorCount == Self.ceiling)
        let low = Paper(id: "b", title: "t", abstract: "x", authorCount: -1, githubStars: Int.min, upvotes: Int.min)
        #expect(low.upvotes == 0 && low.githubStars == 0 && low.authorCount == 0)
        var changed = high
        changed.githubStars = -3
        #expect(changed.githubStars == 0)
        changed.githubStars = nil
        #expect(changed.githubStars == nil)
        // Merging two papers at the ceiling stays at the ceiling.
        #expect(high.merged(with: high).upvotes == Self.ceiling)
    }

    @Test func trendingScoresAnyCountWithoutTrapping() {
        let now = Date()
        for upvotes in [Int.max, Int.max - 1, Int.min, -1, 0] {
            let score = Trending.score(upvotes: upvotes, listedAt: now, now: now)
            #expect(score.isFinite && score > 0, "\(upvotes) → \(score)")
        }
        let hourAgo = now.addingTimeInterval(-3600)
        #expect(Trending.rank([("low", Int.min, now), ("high", Int.max, hourAgo), ("none", 0, hourAgo)], now: now) == ["high", "low", "none"])
    }

    @Test func hugeCountsInAnImportFileAreClampedNotRejected() async throws {
        let store = try TestSupport.temporaryStore()
        let lines = [
            #"{"id": "2401.00001", "title": "Huge", "abstract": "x", "upvotes": 1e30}"#,
            #"{"id": "2401.00002", "title": "Max", "abstract": "x", "upvotes": 9223372036854775807}"#,
            #"{"id": "2401.00003", "title": "Past max", "abstract": "x", "upvotes": 92233720368547758070}"#,
            #"{"id": "2401.00004", "title": "Big", "abstract": "x", "upvotes": 123456789012345}"#,
            #"{"id": "2401.00005", "title": "Below zero", "abstract": "x", "upvotes": -1e30}"#,
            #"{"id": "2401.00006", "title": "Infinite", "abstract": "x", "upvotes": 1e999}"#,
        ]
        let file = try ImportTests.tempFile(lines.joined(separator: "\n") + "\n")
        let summary = try await Importer(store: store).importFile(file)
        #expect(summary.inserted == 4, "\(summary.rejections)")
        for id in ["2401.00001", "2401.00002", "2401.00003", "2401.00004"] {
            #expect(try await store.paper(id: id)?.upvotes == Self.ceiling, "\(id)")
        }
        // Below zero and not a number stay errors that say so.
        #expect(summary.rejections.map(\.line) == [5, 6])
        #expect(summary.rejections.first?.reason == "field `upvotes` must be a non-negative integer, got -1e+30")
    }

    @Test func hugeCountsFromHuggingFaceAreClamped() throws {
        let day = Day("2024-10-25")!
        let cases: [(value: Any, upvotes: Int, stars: Int?)] = [
            (1e30, Self.ceiling, Self.ceiling), (Int.max, Self.ceiling, Self.ceiling), (-7, 0, 0),
            ("99999999999999999999", Self.ceiling, Self.ceiling), (Double.nan, 0, nil),
        ]
        for (value, upvotes, stars) in cases {
            let item: [String: Any] = ["paper": ["id": "2410.17243", "title": "T", "upvotes": value, "githubStars": value]]
            let paper = try HFDailyPaperDecoder.paper(from: item, listDay: day)
            #expect(paper.upvotes == upvotes && paper.githubStars == stars, "\(value)")
        }
        // The same through JSON, as the harvester reads it.
        let json = Data(#"[{"paper": {"id": "2410.17243", "title": "T", "upvotes": 1e30, "githubStars": 18446744073709551615}}]"#.utf8)
        let items = try #require(try JSONSerialization.jsonObject(with: json) as? [[String: Any]])
        let paper = try HFDailyPaperDecoder.paper(from: items[0], listDay: day)
        #expect(paper.upvotes == Self.ceiling && paper.githubStars == Self.ceiling)
    }

    @Test func oldDatabasesWithHugeCountsReadBackClampedAndSortWithoutTrapping() async throws {
        let store = try TestSupport.temporaryStore()
        _ = try await store.upsert([Paper(id: "2410.00001", submittedAt: Date(), title: "A", abstract: "x"),
                                    Paper(id: "2410.00002", submittedAt: Date(), title: "B", abstract: "y")])
        // Written by an older Quire, before counts were clamped.
        try await store.write { db in
            try db.run("UPDATE papers SET upvotes = ?, github_stars = ? WHERE id = '2410.00001'", [Int.max, Int.max])
            try db.run("UPDATE papers SET reader_upvotes = 5 WHERE id = '2410.00001'")
        }
        let paper = try #require(try await store.paper(id: "2410.00001"))
        #expect(paper.upvotes <= 2 * Self.ceiling && paper.upvotes >= Self.ceiling && paper.githubStars == Self.ceiling)
        let today = Day(date: Date())
        let page = try await store.papers(from: today, to: today.adding(days: 1), submitter: nil, sort: .upvotes, offset: 0, limit: 10)
        #expect(page.items.map(\.id) == ["2410.00001", "2410.00002"])
        let signals = try await store.listSignals(from: today, to: today.adding(days: 1))
        #expect(Trending.rank(signals.map { ($0.id, $0.upvotes, $0.listedAt) }, now: Date()).first == "2410.00001")
    }
}
