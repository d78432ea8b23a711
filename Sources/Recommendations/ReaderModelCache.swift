import Foundation
import QuireCore

/// Each reader's trained model, kept until their signals change or it is a
/// day old: the feed asks with a fingerprint of the profile, and a different
/// one (a new upvote, save or dismissal) means training again, in the same
/// request, so a signal counts from the next page view on. Retraining on
/// demand costs about as much as one scoring of every paper
/// (bench/foryou_speed.sh), so no background work is needed to keep models
/// fresh. The day's limit is the nightly retraining: a model's negatives are
/// sampled from the corpus as it was when it was trained, so after `maxAge`
/// the next request trains again over today's corpus. A nightly job retraining
/// every active reader would do the same work ahead of time, for readers
/// who may not come back that day. The model's ranking is kept beside it until the
/// signals change or papers are added: scoring 100,000 vectors reads 150 MB,
/// too slow to repeat for every page view.
public final class ReaderModelCache: @unchecked Sendable { // `lock` guards `models`
    /// A model's best papers, as scored when the index held `indexCount` vectors.
    public struct Ranking: Sendable {
        public var indexCount: Int
        /// How many were asked for: fewer means the corpus ran out.
        public var depth: Int
        public var items: [(id: String, score: Float)]
        public init(indexCount: Int, depth: Int, items: [(id: String, score: Float)]) {
            self.indexCount = indexCount; self.depth = depth; self.items = items
        }
    }

    /// A reader's interest ("" for everything they liked, else the interest's
    /// own name for it): each has its own model.
    struct Key: Hashable { var reader: Int; var interest: String }

    private let lock = NSLock()
    private var models: [Key: (fingerprint: UInt64, model: ReaderModel, used: UInt64, trainedAt: Date, ranking: Ranking?)] = [:]
    private var clock: UInt64 = 0
    /// Models kept (a reader's interests each count); past it the least recently used model goes (each is
    /// 384 floats and the reader's ids: ~2 kB).
    public let capacity: Int
    /// A model older than this is trained again (over the corpus of the day) when next asked for.
    public let maxAge: TimeInterval
    private let now: @Sendable () -> Date

    public init(capacity: Int = 10_000, maxAge: TimeInterval = 24 * 60 * 60, now: @escaping @Sendable () -> Date = Date.init) {
        self.capacity = max(capacity, 1)
        self.maxAge = maxAge
        self.now = now
    }

    /// The same profile (liked, disliked and weakly liked, in any order) gives the same fingerprint.
    public static func fingerprint(_ profile: ReaderProfile) -> UInt64 {
        let weak = profile.weaklyLiked.isEmpty ? "" : "\n--\n" + profile.weaklyLiked.sorted().joined(separator: "\n")
        return stableHash(profile.liked.sorted().joined(separator: "\n") + "\n--\n" + profile.disliked.sorted().joined(separator: "\n") + weak)
    }

    /// The reader's model of `interest` for `profile`, and whether it was trained now.
    public func model(for reader: Int, interest: String = "", profile: ReaderProfile,
                      train: (ReaderProfile) throws -> ReaderModel) rethrows -> (model: ReaderModel, trainedNow: Bool) {
        let fingerprint = Self.fingerprint(profile), asked = now()
        let reader = Key(reader: reader, interest: interest)
        if let kept = lock.withLock({ () -> ReaderModel? in
            clock &+= 1
            guard let entry = models[reader], entry.fingerprint == fingerprint,
                  asked.timeIntervalSince(entry.trainedAt) < maxAge else { return nil }
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
            models[reader] = (fingerprint, model, clock, asked, nil)
            if models.count > capacity, let oldest = models.min(by: { $0.value.used < $1.value.used })?.key {
                models[oldest] = nil
            }
        }
        return (model, true)
    }

    /// The ranking kept for the reader's model of `interest` and `profile`, if it was made over `indexCount` vectors.
    public func ranking(for reader: Int, interest: String = "", profile: ReaderProfile, indexCount: Int) -> Ranking? {
        let fingerprint = Self.fingerprint(profile), reader = Key(reader: reader, interest: interest)
        return lock.withLock {
            guard let entry = models[reader], entry.fingerprint == fingerprint, let ranking = entry.ranking,
                  ranking.indexCount == indexCount else { return nil }
            return ranking
        }
    }

    /// Keeps a ranking made with the reader's current model of `interest` and `profile`.
    public func keep(_ ranking: Ranking, for reader: Int, interest: String = "", profile: ReaderProfile) {
        let fingerprint = Self.fingerprint(profile), reader = Key(reader: reader, interest: interest)
        lock.withLock {
            if models[reader]?.fingerprint == fingerprint { models[reader]?.ranking = ranking }
        }
    }

    public var count: Int { lock.withLock { models.count } }
}
