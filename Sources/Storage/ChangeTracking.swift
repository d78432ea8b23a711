import Foundation

/// How a store tells readers' caches that what they show may have changed.
///
/// The generation is a number that grows after every committed write a
/// reader could see: at once for writes made through this store (so a reader
/// sees their own upvote on the very next page), and within a short delay for
/// writes made elsewhere (a `quire import` in another process, later another
/// server). A cache keyed by it never serves an answer older than the last
/// write it has heard of. SQLite polls `PRAGMA data_version`; PostgreSQL can
/// use LISTEN/NOTIFY.
public protocol ChangeTracking: Sendable {
    /// The current generation; nil when the store cannot tell, and then
    /// nothing may be cached.
    func changeGeneration() async -> UInt64?
}

/// The generation counter a store keeps: bumped after its own writes, and when
/// a poll finds that someone else committed. Polls are spaced by `pollInterval`
/// and only one caller at a time is told to make one.
public final class ChangeCounter: @unchecked Sendable { // lock: every var
    public let pollInterval: Duration
    private let lock = NSLock()
    private var generation: UInt64 = 0
    private var lastPoll: ContinuousClock.Instant?
    private var pollInProgress = false
    private var lastSeenVersion: Int?

    public init(pollInterval: Duration) { self.pollInterval = pollInterval }

    public var current: UInt64 { lock.withLock { generation } }

    /// After a committed write through this store.
    public func bump() { lock.withLock { generation &+= 1 } }

    /// Whether the caller should poll for other writers now; if so it must
    /// call `finishPoll` afterwards, whatever the poll found.
    public func claimPoll(now: ContinuousClock.Instant = .now) -> Bool {
        lock.withLock {
            guard !pollInProgress else { return false }
            if let lastPoll, now - lastPoll < pollInterval { return false }
            pollInProgress = true
            lastPoll = now
            return true
        }
    }

    /// The version the poll read (nil: it could not look); a new one means
    /// another writer committed, and the generation moves on.
    public func finishPoll(version: Int?) {
        lock.withLock {
            pollInProgress = false
            guard let version else { return }
            if let lastSeenVersion, lastSeenVersion != version { generation &+= 1 }
            lastSeenVersion = version
        }
    }
}
