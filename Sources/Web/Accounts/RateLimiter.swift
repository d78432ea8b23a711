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
    private var windows: [String: (start: Date, count: Int)] = [:]

    /// Counts one event; nil if allowed, else the seconds until the window resets.
    func hit(_ key: String, limit: RateLimit, now: Date) -> Int? {
        // Old windows are dropped now and then so memory stays bounded.
        if windows.count > 100_000 { windows = windows.filter { now.timeIntervalSince($0.value.start) < 3600 } }
        var window = windows[key] ?? (now, 0)
        if now.timeIntervalSince(window.start) >= limit.seconds { window = (now, 0) }
        window.count += 1
        windows[key] = window
        guard window.count > limit.count else { return nil }
        return max(1, Int((limit.seconds - now.timeIntervalSince(window.start)).rounded(.up)))
    }
}
