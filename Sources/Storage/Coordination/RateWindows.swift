import Foundation

/// Fixed-window counters behind the rate limits (`Gate`): every server that
/// shares the counters shares the limits, so a script spread over the servers
/// behind a load balancer gets no more than it would from one.
///
/// Only counting lives here; whether a count is over a limit is the caller's
/// rule. Keys are short strings ("login-ip:203.0.113.9", "write-user:42").
public protocol RateWindows: Sendable {
    /// Counts one event under `key`: in the window that is running, or in a
    /// new one of `length` seconds from `now` when none is (or it has ended).
    func countHit(_ key: String, length: TimeInterval, now: Date) async throws -> RateWindowCount
}

/// The events counted in a key's window so far, this one included, and when the window ends.
public struct RateWindowCount: Sendable, Equatable {
    public var count: Int
    public var ends: Date
    public init(count: Int, ends: Date) { self.count = count; self.ends = ends }
}

extension RateWindows {
    /// Keys are cut to this many bytes: a login name or a header cannot make one large.
    public static var maxKeyBytes: Int { 256 }

    /// `key`, cut to `maxKeyBytes` (at a byte, so two long keys with the same start count together).
    public static func boundedKey(_ key: String) -> String {
        key.utf8.count > maxKeyBytes ? String(decoding: key.utf8.prefix(maxKeyBytes), as: UTF8.self) : key
    }
}
