import Foundation
import PostgresNIO
import Storage

/// The change generation of a PostgreSQL database.
///
/// Writes through this store bump the in-memory counter at once. Every
/// process's writes also advance the `quire_changes` sequence after they
/// commit (`PostgresStore.write`), and a poll of its value, at most once per
/// `otherWritersPollInterval`, moves the generation when it changed: then
/// another writer (a `quire import`, another server) committed something.
///
/// Why a sequence bumped after the commit rather than a counter row updated
/// inside each transaction: the row would be locked from the update to the
/// commit, so every writer on every server would commit one at a time behind
/// it (each waiting for the previous one's WAL flush); `nextval` never waits.
/// The cost is a window between a commit and its bump, in which a poll does
/// not see the change yet, the same as the poll interval's; a process killed
/// inside that window leaves its last write unannounced until the next write
/// by anyone. Reads never touch the sequence, so a quiet database keeps
/// caches warm. Our own writes are counted twice (at once, then by the poll):
/// one extra cache miss, never a stale page.
extension PostgresStore: ChangeTracking {
    /// How soon a write by another process reaches readers' caches.
    public static let otherWritersPollInterval: Duration = .milliseconds(500)

    public func changeGeneration() async -> UInt64? {
        if changes.claimPoll() {
            // Before the first nextval the sequence reads 1 but is not called yet: 0 then.
            let version = try? await execute("SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM quire_changes").value(Int.self)
            changes.finishPoll(version: version)
        }
        return changes.current
    }

    /// After a write (committed, or maybe): this store's readers at once, other processes' at their next poll.
    func announceChange() async {
        changes.bump()
        do {
            _ = try await execute("SELECT nextval('quire_changes')").value(Int.self)
        } catch {
            logger.warning("could not announce a write to other servers; they see it after the next one", metadata: ["error": "\(error)"])
        }
    }
}
