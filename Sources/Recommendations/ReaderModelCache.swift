import Foundation
import QuireCore

/// Each reader's trained model, kept until their signals change: the feed
/// asks with a fingerprint of the profile, and a different one (a new
/// upvote, save or dismissal) means training again. Retraining on demand,
/// when the page is next requested, costs milliseconds (bench/foryou_speed.sh),
/// so no background work is needed to keep models fresh.
public final class ReaderModelCache: @unchecked Sendable { // `lock` guards `models`
    private let lock = NSLock()
    private var models: [Int: (fingerprint: UInt64, model: ReaderModel, used: UInt64)] = [:]
    private var clock: UInt64 = 0
    /// Readers kept; past it the least recently used model goes (each is
    /// 384 floats and the reader's ids: ~2 kB).
    public let capacity: Int

    public init(capacity: Int = 10_000) { self.capacity = max(capacity, 1) }

    /// The same profile (liked and disliked, in any order) gives the same fingerprint.
    public static func fingerprint(_ profile: ReaderProfile) -> UInt64 {
        stableHash(profile.liked.sorted().joined(separator: "\n") + "\n--\n" + profile.disliked.sorted().joined(separator: "\n"))
    }

    /// The reader's model for `profile`, and whether it was trained now.
    public func model(for reader: Int, profile: ReaderProfile,
                      train: (ReaderProfile) throws -> ReaderModel) rethrows -> (model: ReaderModel, trainedNow: Bool) {
        let fingerprint = Self.fingerprint(profile)
        if let kept = lock.withLock({ () -> ReaderModel? in
            clock &+= 1
            guard let entry = models[reader], entry.fingerprint == fingerprint else { return nil }
            models[reader]?.used = clock
            return entry.model
        }) {
            return (kept, false)
        }
        // Trained outside the lock: two requests at once may both train, and
        // both get the same model (training is deterministic).
        let model = try train(profile)
        lock.withLock {
            clock &+= 1
            models[reader] = (fingerprint, model, clock)
            if models.count > capacity, let oldest = models.min(by: { $0.value.used < $1.value.used })?.key {
                models[oldest] = nil
            }
        }
        return (model, true)
    }

    public var count: Int { lock.withLock { models.count } }
}
