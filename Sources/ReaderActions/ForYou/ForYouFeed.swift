import Foundation
import QuireCore
import Recommendations
import Search
import Storage

/// "For you": a reader's own picks, from their model (`Recommender`, the one
/// `quire recommend` runs), each with the reason it was picked. The rules:
///
/// - positives are the reader's upvotes, saves and "More like this";
///   negatives their "Not interested";
/// - a paper the reader has upvoted, saved, dismissed, asked more like or
///   read is never picked, nor one their mutes hide (`MuteRule`);
/// - until the reader has `positivesNeeded` positives, there are no picks:
///   the caller shows trending papers and says so, beside `onboarding`'s
///   papers to choose from;
/// - the model is trained when the feed is asked for after the reader's
///   signals changed, and kept (`ReaderModelCache`) until they change again.
public struct ForYouFeed: Sendable {
    public static let positivesNeeded = 5
    public static let limits = 1...100
    /// How many papers onboarding offers, and from how many recent days.
    public static let onboardingCount = 10
    static let onboardingDays = 30
    static let onboardingPool = 1_000

    let store: any FeedSignalStore & PaperStore & MuteStore
    /// Nil when the server runs without the semantic index: the feed stays on trending.
    let recommender: Recommender?
    let models: ReaderModelCache

    public init(store: any FeedSignalStore & PaperStore & MuteStore, recommender: Recommender?, models: ReaderModelCache) {
        self.store = store; self.recommender = recommender; self.models = models
    }

    /// How a paper became one of the reader's positives (the strongest, when several).
    public enum Liking: String, Sendable, Codable {
        case saved, upvoted, moreLikeThis

        /// "you saved", as the reason says it.
        var verb: String {
            switch self {
            case .saved: "saved"
            case .upvoted: "upvoted"
            case .moreLikeThis: "asked for more like"
            }
        }
    }

    /// One of the reader's papers a pick is close to.
    public struct Because: Sendable, Equatable {
        public var paperID: String
        public var title: String
        public var liking: Liking
    }

    public struct Pick: Sendable {
        public var paper: Paper
        public var score: Float
        /// The one to three of the reader's positives it is closest to, closest first.
        public var because: [Because]
        /// Up to three title words it shares with those.
        public var sharedWords: [String]

        /// The reason in one line: "Because you saved “A” and upvoted “B” · shares: diffusion, video".
        public var reason: String {
            guard !because.isEmpty else { return "Picked by your model" }
            // "saved “A” and “B”, and upvoted “C”": one verb per kind of liking, in order of closeness.
            var kinds: [Liking] = []
            for item in because where !kinds.contains(item.liking) { kinds.append(item.liking) }
            let parts = kinds.map { kind in
                kind.verb + " " + Self.list(because.filter { $0.liking == kind }.map { "“\(Self.shortened($0.title))”" })
            }
            return "Because you " + Self.list(parts, comma: parts.count > 1 && because.count > kinds.count)
                + (sharedWords.isEmpty ? "" : " · shares: " + sharedWords.joined(separator: ", "))
        }

        /// "A", "A and B", "A, B and C" (or "A, and B" when the parts have "and" inside).
        static func list(_ items: [String], comma: Bool = false) -> String {
            guard let last = items.last else { return "" }
            guard items.count > 1 else { return last }
            return items.dropLast().joined(separator: ", ") + (comma ? ", and " : " and ") + last
        }

        static func shortened(_ title: String, limit: Int = 70) -> String {
            let oneLine = title.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            guard oneLine.count > limit else { return oneLine }
            let cut = oneLine.prefix(limit)
            return (cut.lastIndex(of: " ").map { String(cut[..<$0]) } ?? String(cut)) + "…"
        }
    }

    /// What the reader's signals say, read at once.
    public struct Reader: Sendable {
        /// Positive paper ids, oldest first, with how each was liked.
        public var positives: [(id: String, liking: Liking)]
        public var negatives: [String]
        /// Never picked: every paper the reader has signalled anything on.
        public var hidden: Set<String>
        public var profile: ReaderProfile

        init(_ inputs: FeedInputs, userID: Int) {
            var liking: [String: Liking] = [:], order: [String] = []
            func add(_ id: String, _ kind: Liking) {
                if liking[id] == nil { order.append(id) }
                // Saved says more than upvoted, which says more than "more like this".
                let rank: [Liking: Int] = [.saved: 0, .upvoted: 1, .moreLikeThis: 2]
                if (rank[kind] ?? 3) < (liking[id].flatMap { rank[$0] } ?? 3) { liking[id] = kind }
            }
            for id in inputs.upvoted { add(id, .upvoted) }
            for id in inputs.saved { add(id, .saved) }
            for signal in inputs.signals where signal.kind == .moreLikeThis { add(signal.paperID, .moreLikeThis) }
            positives = order.map { ($0, liking[$0] ?? .moreLikeThis) }
            negatives = inputs.signals.filter { $0.kind == .notInterested }.map(\.paperID).filter { liking[$0] == nil }
            hidden = Set(order).union(inputs.signals.map(\.paperID))
            profile = ReaderProfile(id: String(userID), liked: order, disliked: negatives)
        }
    }

    public enum Feed: Sendable {
        /// No picks yet: too few positives (or no vectors to learn from).
        /// The caller shows trending papers, leaving out `hidden` and what `mutes` hides.
        case warmingUp(positives: Int, hidden: Set<String>, mutes: MuteRule)
        /// `training`: how long the model took to train, when it was trained for this request.
        case picks([Pick], positives: Int, hidden: Set<String>, training: Duration?)
    }

    /// False when the server runs without vectors: no picks, trending only.
    public var hasModel: Bool { recommender != nil }

    public func reader(_ user: User) async throws -> Reader {
        Reader(try await store.feedInputs(userID: user.id), userID: user.id)
    }

    /// The reader's best `limit` picks, only among papers listed on or after `since` when given.
    public func feed(for user: User, limit: Int, since: Day? = nil) async throws -> Feed {
        let reader = try await reader(user)
        let mutes = MuteRule(try await store.muteSettings(userID: user.id).mutes)
        guard let recommender, reader.positives.count >= Self.positivesNeeded else {
            return .warmingUp(positives: reader.positives.count, hidden: reader.hidden, mutes: mutes)
        }
        let among: Set<String>? = if let since {
            Set(try await store.listSignals(from: since, to: Day(year: 9999, month: 12, day: 31) ?? since.adding(days: 36_500)).map(\.id))
        } else { nil }
        let limit = min(max(limit, Self.limits.lowerBound), Self.limits.upperBound)
        // Muted papers are left out after ranking: rank deeper so that `limit` remain.
        let depth = mutes.isEmpty ? limit : limit * 3 + 20
        let ranked: (model: ReaderModel, trainedNow: Bool, items: [(id: String, score: Float)], closest: [String: [String]])
        do {
            try await recommender.refreshKeywords()
            ranked = try await ModelThreads.pool.runIfActive {
                let (model, trainedNow) = try models.model(for: user.id, profile: reader.profile) { try recommender.trainBlocking($0) }
                let items = self.best(model, reader: reader, userID: user.id, among: among, limit: depth, recommender: recommender)
                let closest = recommender.closestPositives(to: items.map(\.id), among: reader.positives.map(\.id))
                return (model, trainedNow, items, closest)
            }
        } catch is RecommendationError {
            // None of the positives has a vector yet (papers just added): trending meanwhile.
            return .warmingUp(positives: reader.positives.count, hidden: reader.hidden, mutes: mutes)
        }
        let reasonIDs = Set(ranked.closest.values.flatMap { $0 })
        let papers = Dictionary(try await store.papers(ids: ranked.items.map(\.id) + reasonIDs).map { ($0.id, $0) },
                                uniquingKeysWith: { first, _ in first })
        let liking = Dictionary(reader.positives.map { ($0.id, $0.liking) }, uniquingKeysWith: { first, _ in first })
        let picks = ranked.items.compactMap { item -> Pick? in
            guard let paper = papers[item.id], !mutes.hides(paper) else { return nil }
            let because = (ranked.closest[item.id] ?? []).compactMap { id in
                papers[id].map { Because(paperID: id, title: $0.title, liking: liking[id] ?? .moreLikeThis) }
            }
            return Pick(paper: paper, score: item.score, because: because,
                        sharedWords: TitleWords.shared(paper.title, with: because.map(\.title)))
        }
        return .picks(Array(picks.prefix(limit)), positives: reader.positives.count, hidden: reader.hidden, training: ranked.trainedNow ? ranked.model.trainingTime : nil)
    }

    /// The best `limit` papers for the model, leaving out every paper the
    /// reader signalled. Without `among`, from the ranking kept with the model
    /// when there is one (made with room for the papers hidden since, which
    /// are left out here), else ranked now and kept.
    private func best(_ model: ReaderModel, reader: Reader, userID: Int, among: Set<String>?, limit: Int,
                        recommender: Recommender) -> [(id: String, score: Float)] {
        if let among { return recommender.rankBlocking(model, leavingOut: reader.hidden, among: among, limit: limit) }
        let indexCount = recommender.index.count
        if let kept = models.ranking(for: userID, profile: reader.profile, indexCount: indexCount) {
            let visible = kept.items.filter { !reader.hidden.contains($0.id) }
            if visible.count >= limit || kept.items.count < kept.depth { return Array(visible.prefix(limit)) }
        }
        // The profile's own papers are left out by the model; the others the
        // reader hid (read) are left out after, so the ranking outlives them.
        let depth = limit + reader.hidden.count + 100
        let items = recommender.rankBlocking(model, limit: depth)
        models.keep(.init(indexCount: indexCount, depth: depth, items: items), for: userID, profile: reader.profile)
        return Array(items.filter { !reader.hidden.contains($0.id) }.prefix(limit))
    }

    /// Papers to start from: recent ones, one from each of `count` clusters
    /// of their vectors (so every field is offered, not only the most
    /// upvoted one), leaving out what the reader has signalled already.
    public func onboarding(for user: User, hidden: Set<String>, count: Int = Self.onboardingCount) async throws -> [Paper] {
        guard let recommender, let latest = try await store.latestListDay() else { return [] }
        var recentSignals = try await store.listSignals(from: latest.adding(days: -Self.onboardingDays + 1), to: latest.adding(days: 1))
        if recentSignals.count < Self.onboardingPool / 10, let first = Day(year: 1, month: 1, day: 1) {
            // A quiet month (or a small server): the newest papers of any date.
            recentSignals = try await store.listSignals(from: first, to: latest.adding(days: 1))
        }
        let recent = recentSignals
            .sorted { ($0.listedAt, $0.id) > ($1.listedAt, $1.id) }
            .map(\.id).filter { !hidden.contains($0) }.prefix(Self.onboardingPool).map { $0 }
        let ids = try await ModelThreads.pool.runIfActive { recommender.diverse(recent, count: count) }
        let papers = Dictionary(try await store.papers(ids: ids).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        return ids.compactMap { papers[$0] }
    }
}
