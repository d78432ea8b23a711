import Foundation
import PostgresNIO
import Storage

/// Collections made interests, in PostgreSQL. Making one locks the owner's
/// row (`FOR NO KEY UPDATE`), so two requests at once cannot both pass the cap.
extension PostgresStore: InterestStore {
    public func setCollectionInterest(id: Int, on: Bool, now: Date, ifFewerThan cap: Int) async throws -> FeedSignalWrite {
        try await write { db in
            guard let owner = try await db.run("SELECT user_id FROM collections WHERE id = \(id) FOR KEY SHARE", logger).value(Int.self) else {
                throw Refusal.notFound("there is no collection \(id)")
            }
            guard on else {
                try await db.run("DELETE FROM collection_interests WHERE collection_id = \(id)", logger)
                return .saved
            }
            try await db.run("SELECT 1 FROM users WHERE id = \(owner) FOR NO KEY UPDATE", logger)
            if try await db.run("SELECT 1 FROM collection_interests WHERE collection_id = \(id)", logger).value(Int.self) != nil { return .saved }
            let kept = try await db.run("""
                SELECT count(*) FROM collection_interests i JOIN collections c ON c.id = i.collection_id WHERE c.user_id = \(owner)
                """, logger).value(Int.self) ?? 0
            if kept >= cap { return .capReached(kept) }
            try await db.run("INSERT INTO collection_interests (collection_id, created_at) VALUES (\(id), \(now)) ON CONFLICT DO NOTHING", logger)
            return .saved
        }
    }

    public func collectionInterests(userID: Int) async throws -> [CollectionInterest] {
        // One snapshot: the collections and their papers agree.
        try await transaction { db in
            try await db.run("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ", logger)
            let collections = try await db.run("""
                SELECT c.id, c.name FROM collection_interests i JOIN collections c ON c.id = i.collection_id
                WHERE c.user_id = \(userID) ORDER BY c.name COLLATE "C", c.id
                """, logger).all((Int, String).self)
            var interests: [CollectionInterest] = []
            for (id, name) in collections {
                let papers = try await db.run("""
                    SELECT p.id FROM collection_papers cp JOIN papers p ON p.seq = cp.paper_seq
                    WHERE cp.collection_id = \(id) ORDER BY cp.added_at, p.seq
                    """, logger).all(String.self)
                interests.append(CollectionInterest(collectionID: id, name: name, paperIDs: papers))
            }
            return interests
        }
    }
}
