import Foundation
import QuireCore

extension SQLiteStore: MuteStore {
    public func muteSettings(userID: Int) async throws -> MuteSettings {
        try await read { db in
            try db.readTransaction {
                let mutes = try db.query("SELECT kind, value FROM mutes WHERE user_id = ?", [userID]) { row in
                    Mute.Kind(rawValue: row.string(0)).map { Mute(kind: $0, value: row.string(1)) }
                }.compactMap { $0 }
                let everywhere = try db.queryOne("SELECT everywhere FROM mute_settings WHERE user_id = ?", [userID]) { $0.int(0) } ?? 0
                return MuteSettings(mutes: Mute.listed(mutes), everywhere: everywhere != 0)
            }
        }
    }

    public func setMute(_ mute: Mute, on: Bool, userID: Int, now: Date, ifFewerThan cap: Int) async throws -> FeedSignalWrite {
        try await write { db in
            try db.transaction {
                guard on else {
                    try db.run("DELETE FROM mutes WHERE user_id = ? AND kind = ? AND value = ?", [userID, mute.kind.rawValue, mute.value])
                    return .saved
                }
                let exists = try db.queryOne("SELECT 1 FROM mutes WHERE user_id = ? AND kind = ? AND value = ?",
                                             [userID, mute.kind.rawValue, mute.value]) { $0.int(0) } != nil
                if exists { return .saved }
                let kept = try db.queryOne("SELECT count(*) FROM mutes WHERE user_id = ?", [userID]) { $0.int(0) } ?? 0
                if kept >= cap { return .capReached(kept) }
                try db.run("INSERT INTO mutes (user_id, kind, value, created_at) VALUES (?, ?, ?, ?)",
                           [userID, mute.kind.rawValue, mute.value, Timestamp.format(now)])
                return .saved
            }
        }
    }

    public func setMutesEverywhere(_ everywhere: Bool, userID: Int) async throws {
        try await write { db in
            try db.run("""
                INSERT INTO mute_settings (user_id, everywhere) VALUES (?, ?)
                ON CONFLICT (user_id) DO UPDATE SET everywhere = excluded.everywhere
                """, [userID, everywhere ? 1 : 0])
        }
    }
}
