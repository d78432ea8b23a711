import Foundation

/// The change generation of a SQLite file.
///
/// Writes through this store bump it in `write`. Writes by other connections
/// (a `quire import` in another process, another `SQLiteStore` on the same
/// file) show up in `PRAGMA data_version`, which changes on a connection
/// whenever a connection other than itself commits. Asked on the writer
/// connection, it therefore changes for everyone's commits but ours, which
/// `write` already counted, so our own writes do not invalidate twice.
///
/// The poll is lazy: at most once per `otherWritersPollInterval`, the request
/// that asks for the generation reads the pragma (a few microseconds, no
/// disk), on a reader thread like every SQLite call. That needs no background
/// service, works the same in the CLI and in tests, and costs nothing while
/// nobody reads. When the writer is busy the poll is skipped (a later one
/// looks): waiting for a long write would hold a request for nothing.
extension SQLiteStore {
    /// How soon a write by another process reaches readers' caches.
    public static let otherWritersPollInterval: Duration = .milliseconds(500)

    public func changeGeneration() async -> UInt64? {
        if changes.claimPoll() {
            let version = try? await SQLiteThreads.readers.runIfActive {
                self.writerIfIdle { db in try? db.queryOne("PRAGMA data_version") { $0.int(0) } } ?? nil
            }
            changes.finishPoll(version: version ?? nil)
        }
        return changes.current
    }
}
