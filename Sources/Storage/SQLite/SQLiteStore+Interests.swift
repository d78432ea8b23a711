import Foundation
import QuireCore

/// Collections made interests, in SQLite: the cap is counted and the row
/// written in one transaction (SQLite's writes take turns).
extension SQLiteStore: InterestStore {
    public func setCollectionInterest(id: Int, on: Bool, now: Date, ifFewerThan cap: Int) async throws -> FeedSignalWrite {
        try await write { db in
            try db.transaction {
                guard let owner = try db.queryOne("SELECT user_id FROM collections WHERE id = ?", [id], { $0.int(0) }) else {
                    throw Refusal.notFound("there is no collection \(id)")
                }
                guard on else {
                    try db.run("DELETE FROM collection_interests WHERE collection_id = ?", [id])
                    return .saved
                }
                if try db.queryOne("SELECT 1 FROM collection_interests WHERE collection_id = ?", [id], { $0.int(0) }) != nil { return .saved }
                let kept = try db.queryOne("""
                    SELECT count(*) FROM collection_interests i JOIN collections c ON c.id = i.collection_id WHERE c.user_id = ?
                    """, [owner]) { $0.int(0) } ?? 0
                if kept >= cap { return .capReached(kept) }
                try db.run("INSERT INTO collection_interests (collection_id, created_at) VALUES (?, ?)", [id, Timestamp.format(now)])
                return .saved
            }
        }
    }

    public func collectionInterests(userID: Int) async throws -> [CollectionInterest] {
        try await read { db in
            try db.readTransaction {
                let collections = try db.query("""
                    SELECT c.id, c.name FROM collection_interests i JOIN collections c ON c.id = i.collection_id
                    WHERE c.user_id = ? ORDER BY c.name, c.id
                    """, [userID]) { (id: $0.int(0), name: $0.string(1)) }
                return try collections.map { collection in
                    CollectionInterest(collectionID: collection.id, name: collection.name, paperIDs: try db.query("""
                        SELECT p.id FROM collection_papers cp JOIN papers p ON p.seq = cp.paper_seq
                        WHERE cp.collection_id = ? ORDER BY cp.added_at, p.seq
                        """, [collection.id]) { $0.string(0) })
                }
            }
        }
    }
}
