import Foundation
import QuireCore

extension SQLiteStore: PrivateFeedStore {
    public func privateFeedTokenHash(userID: Int) async throws -> String? {
        try await read { db in
            try db.queryOne("SELECT token_hash FROM private_feeds WHERE user_id = ?", [userID]) { $0.string(0) }
        }
    }

    public func setPrivateFeedTokenHash(_ hash: String?, userID: Int, now: Date) async throws {
        try await write { db in
            guard let hash else {
                try db.run("DELETE FROM private_feeds WHERE user_id = ?", [userID])
                return
            }
            try db.run("""
                INSERT INTO private_feeds (user_id, token_hash, created_at) VALUES (?, ?, ?)
                ON CONFLICT (user_id) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at
                """, [userID, hash, Timestamp.format(now)])
        }
    }
}
