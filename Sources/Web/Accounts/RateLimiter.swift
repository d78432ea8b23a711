import Foundation

/// So many events per so many seconds.
public struct RateLimit: Sendable {
    public var count: Int
    public var seconds: TimeInterval
    public init(_ count: Int, per seconds: TimeInterval) { self.count = count; self.seconds = seconds }
}

/// Counts events per key ("login-ip:203.0.113.9", "write-user:42") in fixed
/// windows. Kept in memory: each `quire serve` process limits what it sees,
/// which is enough to stop a script hammering one server.
actor RateLimiter {
    private var windows: [String: Window] = [:]
    private var lastPruned = Date.distantPast

    private struct Window {
        var count: Int
        var ends: Date
    }

    /// Keys are cut to this many bytes: a login name or a header cannot make one large.
    static let maxKeyBytes = 256
    /// Ended windows are dropped at most this often, and only once there are
    /// many: never a scan of every key on every request.
    static let pruneEvery: TimeInterval = 30
    static let pruneFrom = 10_000

    /// Counts one event; nil if allowed, else the seconds until the window resets.
    func hit(_ key: String, limit: RateLimit, now: Date) -> Int? {
        let key = key.utf8.count > Self.maxKeyBytes ? String(decoding: key.utf8.prefix(Self.maxKeyBytes), as: UTF8.self) : key
        if windows.count >= Self.pruneFrom, now.timeIntervalSince(lastPruned) >= Self.pruneEvery {
            windows = windows.filter { $0.value.ends > now }
            lastPruned = now
        }
        // A key seen for the first time, or whose window has ended, starts a new one.
        var window = windows[key].flatMap { now < $0.ends ? $0 : nil } ?? Window(count: 0, ends: now.addingTimeInterval(limit.seconds))
        window.count += 1
        windows[key] = window
        guard window.count > limit.count else { return nil }
        return max(1, Int(window.ends.timeIntervalSince(now).rounded(.up)))
    }

    /// How many keys are held (for tests of the pruning).
    var keyCount: Int { windows.count }
}
