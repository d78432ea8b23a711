import Foundation
import PostgresStorage
import QuireCore
import Storage
import Testing
@testable import Storage

/// `DatabaseCopy` (behind `quire db copy`) over real stores: SQLite into
/// PostgreSQL and back, the order tables are copied in, and the checksum.
@Suite(.postgresSchemas) struct DatabaseCopyTests {
    static let now = Date(timeIntervalSince1970: 1_790_000_000)

    /// Papers with a vector, an account with a session, an upvote and a reply to a comment.
    static func filled() async throws -> SQLiteStore {
        let store = try TestSupport.temporaryStore()
        _ = try await store.upsert([
            Paper(id: "2410.00001", submittedAt: now, title: "Sparse attention", abstract: "Attention, sparse.", authors: ["Ada Lovelace"],
                  categories: ["cs.CL"], organization: "Example Lab", upvotes: 3, withdrawn: false),
            Paper(id: "2410.00002", title: "Dense retrieval", abstract: "Vectors.", authors: ["Grace Hopper", "Ada Lovelace"], categories: ["cs.IR"]),
        ])
        try await store.saveEmbeddings([("2410.00001", [0.25, -1, 3.5])], model: "m")
        let ada = try await store.createUser(username: "ada", email: "ada@example.org", passwordHash: "h", role: .admin, now: now)
        try await store.createSession(tokenHash: "s1", userID: ada.id, csrfToken: "c1", now: now, expiresAt: now.addingTimeInterval(3600))
        _ = try await store.secret(named: "unsubscribe")
        return store
    }

    @Test func tablesComeAfterTheTablesTheyPointAt() throws {
        let order = try DatabaseCopy.parentsFirst([
            CopyTable(name: "comments", columns: [], parents: ["comments", "papers", "users"]),
            CopyTable(name: "papers", columns: [], parents: ["organizations"]),
            CopyTable(name: "users", columns: [], parents: []),
            CopyTable(name: "organizations", columns: [], parents: []),
        ]).map(\.name)
        #expect(order.firstIndex(of: "organizations")! < order.firstIndex(of: "papers")!)
        #expect(order.last == "comments")
        #expect(throws: DatabaseCopy.Problem.self) {
            try DatabaseCopy.parentsFirst([CopyTable(name: "a", columns: [], parents: ["b"]), CopyTable(name: "b", columns: [], parents: ["a"])])
        }
    }

    @Test func theChecksumIgnoresRowOrderButNotValues() {
        let rows: [[CopyValue]] = [[.integer(1), .text("a"), .instant(Self.now)], [.integer(2), .null, .bytes([1, 2])]]
        var forward = RowChecksum(), backward = RowChecksum(), changed = RowChecksum()
        rows.forEach { forward.add($0) }
        rows.reversed().forEach { backward.add($0) }
        [[.integer(1), .text("b"), .instant(Self.now)], rows[1]].forEach { changed.add($0) }
        #expect(forward.value == backward.value && forward.rows == 2)
        #expect(forward.value != changed.value)
        // Instants count to the second: SQLite keeps no finer.
        var fine = RowChecksum(), coarse = RowChecksum()
        fine.add([.instant(Self.now.addingTimeInterval(0.4))]); coarse.add([.instant(Self.now)])
        #expect(fine.value == coarse.value)
    }

    @Test func sqliteToSQLiteAndARefusedNonEmptyTarget() async throws {
        let source = try await Self.filled()
        let target = try TestSupport.temporaryStore()
        let copied = try await DatabaseCopy(from: source, to: target).run(replace: false)
        #expect(copied.first { $0.table == "papers" }?.rows == 2)
        #expect(try await target.paper(id: "2410.00002")?.authors == ["Grace Hopper", "Ada Lovelace"])
        #expect(try await target.session(tokenHash: "s1", now: Self.now)?.csrfToken == "c1")
        await #expect(throws: DatabaseCopy.Problem.targetNotEmpty(["authors", "organizations", "paper_authors", "paper_categories",
                                                                   "paper_embeddings", "papers", "server_secrets", "sessions", "users"])) {
            try await DatabaseCopy(from: source, to: target).run(replace: false)
        }
        #expect(try await DatabaseCopy(from: source, to: target).run(replace: true) == copied)
    }

    @Test(.enabled(if: PostgresTestSchemas.address != nil, "needs QUIRE_TEST_POSTGRES_URL"))
    func sqliteToPostgresAndBackKeepsEveryValue() async throws {
        let source = try await Self.filled()
        let postgres = try await PostgresTestSchemas.makeStore()
        let there = try await DatabaseCopy(from: source, to: postgres).run(replace: false)
        #expect(try await postgres.embeddings(model: "m", afterSeq: 0, limit: 5).first?.vector == [0.25, -1, 3.5])
        #expect(try await postgres.paper(id: "2410.00001")?.organization == "Example Lab")
        #expect(try await postgres.credentials(login: "ada")?.user.role == .admin)
        #expect(try await postgres.secret(named: "unsubscribe") == (try await source.secret(named: "unsubscribe")))
        let back = try TestSupport.temporaryStore()
        let home = try await DatabaseCopy(from: postgres, to: back).run(replace: false)
        #expect(Dictionary(uniqueKeysWithValues: home.map { ($0.table, $0) }) == Dictionary(uniqueKeysWithValues: there.map { ($0.table, $0) }))
        #expect(try await back.paper(id: "2410.00001") == (try await source.paper(id: "2410.00001")))
        // Identities go on after the copied ids.
        let grace = try await postgres.createUser(username: "grace", email: "grace@example.org", passwordHash: "h", role: .reader, now: Self.now)
        #expect(grace.id == 2)
    }
}
