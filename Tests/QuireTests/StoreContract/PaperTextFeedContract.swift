import Foundation
import PostgresNIO
@testable import PostgresStorage
import QuireCore
import Search
@testable import Storage
import Testing

/// What every `PaperTextFeed` keeps true: a keyword index loaded from it and
/// caught up from it finds what another process added, edited and deleted,
/// and (on PostgreSQL, where rows are numbered before they commit) never
/// skips a change that committed after a later-numbered one.
@Suite(.postgresSchemas) struct PaperTextFeedContract {
    typealias Store = PaperStore & PaperTextFeed

    /// The ids a keyword search from `index` finds, in no particular order.
    static func found(_ index: KeywordSearch, _ word: String) async throws -> Set<String> {
        Set(try await index.search(words: [word], phrases: [], limit: 50).map(\.id))
    }

    /// Deletes a paper behind the store's back, as an operator would: no store protocol deletes papers.
    static func delete(_ id: String, in store: any Store) async throws {
        if let sqlite = store as? SQLiteStore {
            try await sqlite.write { try $0.run("DELETE FROM papers WHERE id = ?", [id]) }
        } else if let postgres = store as? PostgresStore {
            try await postgres.execute("DELETE FROM papers WHERE id = \(id)")
        }
    }

    @Test(arguments: StoreImplementation.allCases)
    func followsWhatAnotherProcessAddsEditsAndDeletes(_ implementation: StoreImplementation) async throws {
        let store = try await implementation.make(as: (any Store).self)
        _ = try await store.upsert((1...3).map { Paper(id: "2501.0000\($0)", title: "Paper \($0) on fins", abstract: "zebrafish \($0)") })
        // The in-memory store is one process: it writes through itself.
        let writer = implementation == .inMemory ? store : try await implementation.another(like: store)
        let index = KeywordSearch(feed: store)
        try await index.load()
        #expect(try await Self.found(index, "zebrafish") == ["2501.00001", "2501.00002", "2501.00003"])

        _ = try await writer.upsert([Paper(id: "2501.00004", title: "Axolotl limbs", abstract: "regrowth")])
        _ = try await writer.upsert([Paper(id: "2501.00002", title: "Paper 2 on fins", abstract: "now about axolotl")])
        #expect(try await Self.found(index, "axolotl") == ["2501.00002", "2501.00004"])
        #expect(try await Self.found(index, "zebrafish") == ["2501.00001", "2501.00003"], "the old text is gone")
        guard implementation != .inMemory else { return }
        try await Self.delete("2501.00003", in: writer)
        #expect(try await Self.found(index, "zebrafish") == ["2501.00001"])
        #expect(try await Self.found(index, "fins") == ["2501.00001", "2501.00002"])
        #expect(index.count == 3)
        // A second index loaded now holds the same.
        let fresh = KeywordSearch(feed: store)
        try await fresh.load()
        let freshFins = try await Self.found(fresh, "fins")
        #expect(fresh.count == 3 && freshFins == ["2501.00001", "2501.00002"])
    }

    /// Two writers: the first numbers its change and stays open, the second
    /// writes meanwhile, a follower reads in between. With numbers taken at
    /// insert time alone, the second's change (numbered after) could commit
    /// first and the follower move past the first's for ever. Here the second
    /// numbers its change only once the first committed, and the follower finds both.
    @Test func aChangeCommittedLateIsNeverSkipped() async throws {
        guard PostgresTestSchemas.address != nil else { return }
        let follower = try await StoreImplementation.postgres.make(as: PostgresStore.self)
        let first = try await StoreImplementation.postgres.another(like: follower)
        let second = try await StoreImplementation.postgres.another(like: follower)
        let index = KeywordSearch(feed: follower)
        try await index.load()

        let (inserted, insertedSignal) = AsyncStream.makeStream(of: Void.self)
        let (commit, commitSignal) = AsyncStream.makeStream(of: Void.self)
        let slow = Task {
            try await first.transaction { db in
                try await db.run("""
                    INSERT INTO papers (id, title, abstract, created_at, modified_at)
                    VALUES ('2501.00001', 'Zebrafish committed last', 'x', now(), now())
                    """, first.logger)
                insertedSignal.yield()
                for await _ in commit { break }
            }
        }
        for await _ in inserted { break }
        let fast = Task { try await second.upsert([Paper(id: "2501.00002", title: "Zebrafish written second", abstract: "y")]) }
        try await Task.sleep(for: .milliseconds(300))
        #expect(try await Self.found(index, "zebrafish").isEmpty, "neither is committed yet: the second waits for the first")

        commitSignal.yield()
        try await slow.value
        _ = try await fast.value
        #expect(try await Self.found(index, "zebrafish") == ["2501.00001", "2501.00002"])
        let numbers = try await follower.execute("SELECT change FROM paper_text_changes ORDER BY change").all(Int.self)
        #expect(numbers.count == 2 && numbers == numbers.sorted())
    }
}
