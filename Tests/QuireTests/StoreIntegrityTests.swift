import Foundation
import QuireCore
@testable import Storage
import Testing

/// What the SQLite store must keep true whatever happens around it: a
/// rolled-back write leaves nothing behind (not even in its caches), and no
/// input grows the prepared-statement cache without end. (What every store
/// keeps true is in `StoreContract/`.)
@Suite struct StoreIntegrityTests {
    // MARK: Rolled-back writes

    @Test func idsOfARolledBackWriteAreNotReusedForOtherNames() async throws {
        let store = try TestSupport.temporaryStore()
        _ = try await store.upsert([Paper(id: "2410.00001", title: "Kept", abstract: "a", authors: ["Ann Early"])])
        // A paper SQLite refuses makes its whole batch roll back.
        try await store.write { db in
            try db.execute("CREATE TRIGGER refuse BEFORE INSERT ON papers WHEN new.id = '2410.99999' BEGIN SELECT RAISE(ABORT, 'refused'); END")
        }
        await #expect(throws: SQLiteError.self) {
            try await store.upsert([Paper(id: "2410.00002", title: "Rolled back", abstract: "b", authors: ["Rae Rollback"], organization: "Gone Lab"),
                                    Paper(id: "2410.99999", title: "Refused", abstract: "c")])
        }
        // SQLite hands the rolled-back rows' ids out again, here to other names...
        _ = try await store.upsert([Paper(id: "2410.00003", title: "Other", abstract: "d", authors: ["Otto Other"], organization: "Other Lab")])
        // ...so the names of the rolled-back batch must be looked up afresh.
        _ = try await store.upsert([Paper(id: "2410.00002", title: "Stored at last", abstract: "b", authors: ["Rae Rollback"], organization: "Gone Lab")])

        #expect(try await store.author(slug: Slug.stable("Rae Rollback"))?.paperCount == 1)
        #expect(try await store.author(slug: Slug.stable("Otto Other"))?.paperCount == 1)
        #expect(try await store.papers(authorSlug: Slug.stable("Rae Rollback"), offset: 0, limit: 10).items.map(\.id) == ["2410.00002"])
        #expect(try await store.paper(id: "2410.00002")?.organization == "Gone Lab")
        #expect(try await store.organization(slug: Slug.stable("Other Lab"))?.paperCount == 1)
    }

    // MARK: Prepared statements

    /// A store holding papers 2410.00001 ... 2410.0000n, two authors and a category each.
    static func store(papers n: Int) async throws -> SQLiteStore {
        let store = try TestSupport.temporaryStore()
        _ = try await store.upsert((1...n).map { i in
            Paper(id: String(format: "2410.%05d", i), title: "Paper \(i)", abstract: "Abstract \(i).",
                  authors: ["Author \(i)", "Coauthor \(i % 7)"], categories: ["cs.\(i % 3)"])
        })
        return store
    }

    @Test func idListsOfEveryLengthShareOneStatementAndGiveTheSameAnswers() async throws {
        let store = try await Self.store(papers: 300)
        var generator = SeededGenerator(state: 11)
        for length in 1...300 {
            var ids = (1...300).map { String(format: "2410.%05d", $0) }.shuffled(using: &generator).prefix(length).map { $0 }
            ids.insert("2410.99999", at: ids.count / 2) // unknown ids are left out
            let papers = try await store.papers(ids: ids)
            #expect(papers.map(\.id) == ids.filter { $0 != "2410.99999" })
            for paper in papers {
                let i = Int(paper.id.dropFirst(5)) ?? 0
                #expect(paper.authors == ["Author \(i)", "Coauthor \(i % 7)"] && paper.categories == ["cs.\(i % 3)"])
            }
        }
        let cached = try await store.read { $0.cachedStatementCount }
        #expect(cached < 50, "\(cached) statements cached after 300 list lengths")
    }

    @Test func aListLongerThanSQLitesVariableLimitIsOneParameter() async throws {
        let store = try await Self.store(papers: 3)
        let ids = (0..<300_000).map { "2411.\($0)" } + ["2410.00002"]
        #expect(try await store.papers(ids: ids).map(\.id) == ["2410.00002"])
    }

    @Test func theStatementCacheStaysBoundedAndNeverDropsAStatementInUse() throws {
        let db = try SQLiteConnection(path: TestSupport.temporaryDirectory().appendingPathComponent("t.sqlite").path)
        try db.execute("CREATE TABLE t (x INTEGER); WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 5) INSERT INTO t SELECT x FROM c;")
        var seen: [Int] = []
        // Every row of the outer query runs more distinct statements than the cache holds.
        try db.forEach("SELECT x FROM t ORDER BY x") { row in
            let x = row.int(0)
            seen.append(x)
            for k in 0..<600 {
                let sum = try db.queryOne("SELECT ? + \(k)", [x]) { $0.int(0) }
                #expect(sum == x + k)
            }
            // The same statement inside its own loop gets a fresh copy.
            let inner = try db.query("SELECT x FROM t ORDER BY x") { $0.int(0) }
            #expect(inner == [1, 2, 3, 4, 5])
        }
        #expect(seen == [1, 2, 3, 4, 5])
        #expect(db.cachedStatementCount <= 256, "\(db.cachedStatementCount) statements cached")
    }
}
