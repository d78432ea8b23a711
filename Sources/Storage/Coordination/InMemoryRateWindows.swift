import Foundation

/// Rate windows kept in this process: what a server on SQLite and the tests
/// use. Why not a SQLite table: every search and feed read counts a hit, and
/// SQLite has one writer, so each read would queue behind every write. Servers
/// on one SQLite file (one machine) each count their own; PostgreSQL, for
/// several machines, shares the counts (`PostgresStore+Coordination`).
public actor InMemoryRateWindows: RateWindows {
    private var windows: [String: RateWindowCount] = [:]
    private var lastPruned = Date.distantPast

    /// Ended windows are dropped at most this often, and only once there are
    /// many: never a scan of every key on every request.
    public static let pruneEvery: TimeInterval = 30
    public static let pruneFrom = 10_000

    public init() {}

    public func countHit(_ key: String, length: TimeInterval, now: Date) -> RateWindowCount {
        let key = Self.boundedKey(key)
        if windows.count >= Self.pruneFrom, now.timeIntervalSince(lastPruned) >= Self.pruneEvery {
            windows = windows.filter { $0.value.ends > now }
            lastPruned = now
        }
        // A key seen for the first time, or whose window has ended, starts a new one.
        var window = windows[key].flatMap { now < $0.ends ? $0 : nil } ?? RateWindowCount(count: 0, ends: now.addingTimeInterval(length))
        window.count += 1
        windows[key] = window
        return window
    }

    /// How many keys are held (for tests of the pruning).
    public var keyCount: Int { windows.count }
}
