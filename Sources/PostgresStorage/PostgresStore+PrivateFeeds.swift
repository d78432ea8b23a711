import Foundation
import PostgresNIO
import Storage

/// The private feed links' hashes in PostgreSQL: one row per reader, replaced by a reset.
extension PostgresStore: PrivateFeedStore {
    public func privateFeedTokenHash(userID: Int) async throws -> String? {
        try await execute("SELECT token_hash FROM private_feeds WHERE user_id = \(userID)").value(String.self)
    }

    public func setPrivateFeedTokenHash(_ hash: String?, userID: Int, now: Date) async throws {
        guard let hash else {
            try await write("DELETE FROM private_feeds WHERE user_id = \(userID)")
            return
        }
        try await write("""
            INSERT INTO private_feeds (user_id, token_hash, created_at) VALUES (\(userID), \(hash), \(now))
            ON CONFLICT (user_id) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at
            """)
    }
}
