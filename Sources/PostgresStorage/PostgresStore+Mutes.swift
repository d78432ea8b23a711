import Foundation
import PostgresNIO
import Storage

/// Readers' mutes in PostgreSQL. Adding one locks the reader's row, so two
/// requests at once cannot both pass the cap.
extension PostgresStore: MuteStore {
    public func muteSettings(userID: Int) async throws -> MuteSettings {
        try await transaction { db in
            let mutes = try await db.run("SELECT kind, value FROM mutes WHERE user_id = \(userID)", logger).all((String, String).self)
                .compactMap { row in Mute.Kind(rawValue: row.0).map { Mute(kind: $0, value: row.1) } }
            let everywhere = try await db.run("SELECT everywhere FROM mute_settings WHERE user_id = \(userID)", logger).value(Bool.self) ?? false
            return MuteSettings(mutes: Mute.listed(mutes), everywhere: everywhere)
        }
    }

    public func setMute(_ mute: Mute, on: Bool, userID: Int, now: Date, ifFewerThan cap: Int) async throws -> FeedSignalWrite {
        try await write { db in
            guard on else {
                try await db.run("DELETE FROM mutes WHERE user_id = \(userID) AND kind = \(mute.kind.rawValue) AND value = \(mute.value)", logger)
                return .saved
            }
            try await db.run("SELECT 1 FROM users WHERE id = \(userID) FOR UPDATE", logger)
            let exists = try await db.run("SELECT 1 FROM mutes WHERE user_id = \(userID) AND kind = \(mute.kind.rawValue) AND value = \(mute.value)",
                                          logger).value(Int.self) != nil
            if exists { return .saved }
            let kept = try await db.run("SELECT count(*) FROM mutes WHERE user_id = \(userID)", logger).value(Int.self) ?? 0
            if kept >= cap { return .capReached(kept) }
            try await db.run("""
                INSERT INTO mutes (user_id, kind, value, created_at) VALUES (\(userID), \(mute.kind.rawValue), \(mute.value), \(now))
                ON CONFLICT DO NOTHING
                """, logger)
            return .saved
        }
    }

    public func setMutesEverywhere(_ everywhere: Bool, userID: Int) async throws {
        try await write("""
            INSERT INTO mute_settings (user_id, everywhere) VALUES (\(userID), \(everywhere))
            ON CONFLICT (user_id) DO UPDATE SET everywhere = excluded.everywhere
            """)
    }
}
