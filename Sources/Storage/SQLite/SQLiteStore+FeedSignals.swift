import Foundation
import QuireCore

extension SQLiteStore: FeedSignalStore {
    public func setFeedSignal(userID: Int, paperID: String, kind: FeedSignalKind, on: Bool, clearing: [FeedSignalKind],
                              now: Date, ifFewerThan cap: Int) async throws -> FeedSignalWrite {
        try await write { db in
            try db.transaction {
                let seq = try self.paperSeq(paperID, db)
                guard on else {
                    try db.run("DELETE FROM feed_signals WHERE user_id = ? AND paper_seq = ? AND kind = ?", [userID, seq, kind.rawValue])
                    return .saved
                }
                let exists = try db.queryOne("SELECT 1 FROM feed_signals WHERE user_id = ? AND paper_seq = ? AND kind = ?",
                                             [userID, seq, kind.rawValue]) { $0.int(0) } != nil
                if !exists {
                    let kept = try db.queryOne("SELECT count(*) FROM feed_signals WHERE user_id = ?", [userID]) { $0.int(0) } ?? 0
                    if kept >= cap { return .capReached(kept) }
                    try db.run("INSERT INTO feed_signals (user_id, paper_seq, kind, created_at) VALUES (?, ?, ?, ?)",
                               [userID, seq, kind.rawValue, Timestamp.format(now)])
                }
                for other in clearing where other != kind {
                    try db.run("DELETE FROM feed_signals WHERE user_id = ? AND paper_seq = ? AND kind = ?", [userID, seq, other.rawValue])
                }
                return .saved
            }
        }
    }

    public func feedSignals(userID: Int) async throws -> [FeedSignal] {
        try await read { db in try Self.feedSignals(userID: userID, db).reversed() }
    }

    public func feedSignals(userID: Int, among paperIDs: [String]) async throws -> [FeedSignal] {
        guard !paperIDs.isEmpty else { return [] }
        return try await read { db in
            try db.query("""
                SELECT p.id, s.kind, s.created_at FROM feed_signals s JOIN papers p ON p.seq = s.paper_seq
                WHERE s.user_id = ? AND p.id IN (SELECT value FROM json_each(?))
                """, [userID, try Self.jsonList(paperIDs)]) { row in
                FeedSignal(paperID: row.string(0), kind: FeedSignalKind(rawValue: row.string(1)) ?? .read,
                           createdAt: Self.date(row.string(2)) ?? Date(timeIntervalSince1970: 0))
            }
        }
    }

    public func feedInputs(userID: Int) async throws -> FeedInputs {
        try await read { db in
            try db.readTransaction {
                let upvoted = try db.query("""
                    SELECT p.id FROM upvotes v JOIN papers p ON p.seq = v.paper_seq
                    WHERE v.user_id = ? ORDER BY v.created_at, p.seq
                    """, [userID]) { $0.string(0) }
                let saved = try db.query("""
                    SELECT p.id FROM collection_papers cp JOIN collections c ON c.id = cp.collection_id JOIN papers p ON p.seq = cp.paper_seq
                    WHERE c.user_id = ? GROUP BY p.seq ORDER BY min(cp.added_at), p.seq
                    """, [userID]) { $0.string(0) }
                return FeedInputs(upvoted: upvoted, saved: saved, signals: try Self.feedSignals(userID: userID, db))
            }
        }
    }

    /// Oldest first.
    private static func feedSignals(userID: Int, _ db: SQLiteConnection) throws -> [FeedSignal] {
        try db.query("""
            SELECT p.id, s.kind, s.created_at FROM feed_signals s JOIN papers p ON p.seq = s.paper_seq
            WHERE s.user_id = ? ORDER BY s.created_at, p.seq, s.kind
            """, [userID]) { row in
            FeedSignal(paperID: row.string(0), kind: FeedSignalKind(rawValue: row.string(1)) ?? .read,
                       createdAt: date(row.string(2)) ?? Date(timeIntervalSince1970: 0))
        }
    }
}
