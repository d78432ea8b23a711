import Foundation
import PostgresNIO
import Storage

/// What several servers on one database agree on beyond the rows readers
/// see: rate-limit windows and jobs that must run on one server at a time.
extension PostgresStore: RateWindows, ExclusiveJobs {
    /// One statement per hit: the insert, or the row lock `ON CONFLICT` takes,
    /// makes hits from every server count one by one. A window that has ended
    /// starts again at 1. Not a change readers see (no `write`).
    public func countHit(_ key: String, length: TimeInterval, now: Date) async throws -> RateWindowCount {
        let key = Self.boundedKey(key)
        let ends = now.addingTimeInterval(length)
        await pruneRateWindowsIfDue(now: now)
        let row = try await execute("""
            INSERT INTO rate_windows AS w (key, count, ends_at) VALUES (\(key), 1, \(ends))
            ON CONFLICT (key) DO UPDATE SET
                count = CASE WHEN w.ends_at > \(now) THEN w.count + 1 ELSE 1 END,
                ends_at = CASE WHEN w.ends_at > \(now) THEN w.ends_at ELSE excluded.ends_at END
            RETURNING count, ends_at
            """).first((Int, Date).self)
        guard let (count, windowEnds) = row else { throw NoRowReturned(statement: "counting a rate-limit hit") }
        return RateWindowCount(count: count, ends: windowEnds)
    }

    /// Ended windows are deleted now and then (every `rateWindowPruneInterval`
    /// per process), never on every hit: they restart at 1 anyway, so this
    /// only keeps the table small.
    private func pruneRateWindowsIfDue(now: Date) async {
        guard rateWindowPruning.isDue(now: now) else { return }
        do { try await execute("DELETE FROM rate_windows WHERE ends_at < \(now)") } catch {
            logger.warning("pruning ended rate windows failed: \(error)")
        }
    }

    /// A session-level advisory lock on one pooled connection, held while
    /// `body` runs: `pg_try_advisory_lock` never waits, and a process that
    /// dies loses its connection and so its lock, so a killed server never
    /// blocks the job for the others. Keyed by schema and job name.
    public func runAlone<Result: Sendable>(_ job: String, _ body: @Sendable () async throws -> Result) async throws -> Result? {
        try await withConnection { db in
            let lockKey = "quire-job:" + job
            let taken = try await db.run("SELECT pg_try_advisory_lock(hashtext(current_schema() || '.' || \(lockKey)))", logger).value(Bool.self)
            guard taken == true else { return nil }
            let outcome: Swift.Result<Result, any Error>
            do { outcome = .success(try await body()) } catch { outcome = .failure(error) }
            _ = try? await db.run("SELECT pg_advisory_unlock(hashtext(current_schema() || '.' || \(lockKey)))", logger)
            return try outcome.get()
        }
    }
}

/// When this process last pruned the rate windows.
final class PruneSchedule: @unchecked Sendable { // lock: last
    private let lock = NSLock()
    private var last = Date.distantPast
    let interval: TimeInterval

    init(interval: TimeInterval) { self.interval = interval }

    /// True at most once per `interval`, to one caller.
    func isDue(now: Date) -> Bool {
        lock.withLock {
            guard now.timeIntervalSince(last) >= interval || now < last else { return false }
            last = now
            return true
        }
    }
}

/// A statement that always returns a row returned none (the server is not
/// the one the store expects, or a bug).
struct NoRowReturned: Error, CustomStringConvertible {
    var statement: String
    var description: String { "PostgreSQL returned no row for \(statement)" }
}
