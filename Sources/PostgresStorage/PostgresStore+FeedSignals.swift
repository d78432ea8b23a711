import Foundation
import Logging
import PostgresNIO
import QuireCore
import Storage

/// Readers' "For you" signals in PostgreSQL. The cap is checked under the
/// reader's row lock (`FOR NO KEY UPDATE`), as submissions are: two signals
/// of one reader at once take turns, so the count each one checks holds the
/// other's.
extension PostgresStore: FeedSignalStore {
    public func setFeedSignal(userID: Int, paperID: String, kind: FeedSignalKind, on: Bool, clearing: [FeedSignalKind],
                              now: Date, ifFewerThan cap: Int) async throws -> FeedSignalWrite {
        try await write { db in
            guard try await db.run("SELECT id FROM users WHERE id = \(userID) FOR NO KEY UPDATE", logger).value(Int.self) != nil else {
                throw Refusal.notFound("no such user")
            }
            let seq = try await Self.paperSeq(paperID, db, logger)
            guard on else {
                try await db.run("DELETE FROM feed_signals WHERE user_id = \(userID) AND paper_seq = \(seq) AND kind = \(kind.rawValue)", logger)
                return .saved
            }
            let exists = try await db.run("""
                SELECT 1 FROM feed_signals WHERE user_id = \(userID) AND paper_seq = \(seq) AND kind = \(kind.rawValue)
                """, logger).value(Int.self) != nil
            if !exists {
                let kept = try await db.run("SELECT count(*) FROM feed_signals WHERE user_id = \(userID)", logger).value(Int.self) ?? 0
                if kept >= cap { return .capReached(kept) }
                try await db.run("""
                    INSERT INTO feed_signals (user_id, paper_seq, kind, created_at) VALUES (\(userID), \(seq), \(kind.rawValue), \(now))
                    """, logger)
            }
            let others = clearing.filter { $0 != kind }.map(\.rawValue)
            if !others.isEmpty {
                try await db.run("DELETE FROM feed_signals WHERE user_id = \(userID) AND paper_seq = \(seq) AND kind = ANY(\(others)::text[])", logger)
            }
            return .saved
        }
    }

    public func feedSignals(userID: Int) async throws -> [FeedSignal] {
        try await withConnection { db in try await Self.feedSignals(userID: userID, db, logger).reversed() }
    }

    public func feedSignals(userID: Int, among paperIDs: [String]) async throws -> [FeedSignal] {
        guard !paperIDs.isEmpty else { return [] }
        return try await execute("""
            SELECT p.id, s.kind, s.created_at FROM feed_signals s JOIN papers p ON p.seq = s.paper_seq
            WHERE s.user_id = \(userID) AND p.id = ANY(\(paperIDs)::text[])
            """).all((String, String, Date).self).map { row in
            FeedSignal(paperID: row.0, kind: FeedSignalKind(rawValue: row.1) ?? .read, createdAt: row.2)
        }
    }

    public func feedInputs(userID: Int) async throws -> FeedInputs {
        // One transaction: the three lists are read from one snapshot.
        try await transaction { db in
            try await db.run("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ", logger)
            let upvoted = try await db.run("""
                SELECT p.id FROM upvotes v JOIN papers p ON p.seq = v.paper_seq WHERE v.user_id = \(userID) ORDER BY v.created_at, p.seq
                """, logger).all(String.self)
            let saved = try await db.run("""
                SELECT p.id FROM collection_papers cp JOIN collections c ON c.id = cp.collection_id JOIN papers p ON p.seq = cp.paper_seq
                WHERE c.user_id = \(userID) GROUP BY p.seq, p.id ORDER BY min(cp.added_at), p.seq
                """, logger).all(String.self)
            return FeedInputs(upvoted: upvoted, saved: saved, signals: try await Self.feedSignals(userID: userID, db, logger))
        }
    }

    /// Oldest first.
    private static func feedSignals(userID: Int, _ db: PostgresConnection, _ logger: Logger) async throws -> [FeedSignal] {
        try await db.run("""
            SELECT p.id, s.kind, s.created_at FROM feed_signals s JOIN papers p ON p.seq = s.paper_seq
            WHERE s.user_id = \(userID) ORDER BY s.created_at, p.seq, s.kind COLLATE "C"
            """, logger).all((String, String, Date).self).map { row in
            FeedSignal(paperID: row.0, kind: FeedSignalKind(rawValue: row.1) ?? .read, createdAt: row.2)
        }
    }
}
