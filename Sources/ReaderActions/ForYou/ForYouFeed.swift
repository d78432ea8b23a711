import Foundation
import QuireCore
import Recommendations
import Search
import Storage

/// "For you": a reader's own picks, from their model (`Recommender`, the one
/// `quire recommend` runs), each with the reason it was picked. The rules:
///
/// - positives are the reader's upvotes, saves, "More like this" and own
///   papers; negatives their "Not interested"; weak positives
///   (`ReaderProfile.weakWeight`) the papers they opened and the recent
///   papers of the authors they follow;
/// - a paper the reader left out ("don't use this") counts for nothing and
///   is never named in a reason, though its upvote or save stays;
/// - a paper the reader has upvoted, saved, dismissed, asked more like,
///   claimed, opened or read is never picked, nor one their mutes hide
///   (`MuteRule`); a followed author's paper may be;
/// - until the reader has `positivesNeeded` positives, there are no picks
///   (weak positives do not count: opening five pages is not asking for a feed):
///   the caller shows trending papers and says so, beside `onboarding`'s
///   papers to choose from;
/// - the model is trained when the feed is asked for after the reader's
///   signals changed, and kept (`ReaderModelCache`) until they change again;
/// - each interest (`ReaderInterest`: everything liked, and each collection
///   made an interest) has a model of its own, trained on its positives
///   with the reader's "Not interested" as negatives; one with fewer than
///   `positivesNeeded` positives picks nothing; all of them together are
///   blended fairly (`InterestBlend`), or one is shown alone;
/// - `since` and `until` keep the picks to papers listed in that window
///   (the digest's: only the papers it covers).
public struct ForYouFeed: Sendable {
    public static let positivesNeeded = 5
    public static let limits = 1...100
    /// How many papers onboarding offers, and from how many recent days.
    public static let onboardingCount = 10
    static let onboardingDays = 30
    static let onboardingPool = 1_000
    /// Recent papers of each followed author taken as weak positives, and of all of them.
    static let papersPerFollowedAuthor = 20
    static let maxFollowedPapers = 500

    let store: any FeedSignalStore & PaperStore & MuteStore & InterestStore & DigestStore
    /// Nil when the server runs without the semantic index: the feed stays on trending.
    let recommender: Recommender?
    let models: ReaderModelCache

    public init(store: any FeedSignalStore & PaperStore & MuteStore & InterestStore & DigestStore, recommender: Recommender?, models: ReaderModelCache) {
        self.store = store; self.recommender = recommender; self.models = models
    }

    /// How a paper became one of the reader's positives (the strongest, when several).
    public enum Liking: String, Sendable, Codable {
        case saved, upvoted, moreLikeThis, mine

        /// "you saved", as the reason says it.
        var verb: String {
            switch self {
            case .saved: "saved"
            case .upvoted: "upvoted"
            case .moreLikeThis: "asked for more like"
            case .mine: "wrote"
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
        /// The interest it was picked for, and that interest's name.
        public var interest: ReaderInterest.ID
        public var interestName: String

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

        public static func shortened(_ title: String, limit: Int = 70) -> String {
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
        /// "Don't use this": counted by no interest and named in no reason.
        public var excluded: Set<String>
        public var profile: ReaderProfile

        /// `followed`: recent papers of the authors the reader follows.
        init(_ inputs: FeedInputs, followed: [String] = [], userID: Int) {
            let excluded = Set(inputs.signals.filter { $0.kind == .excluded }.map(\.paperID))
            self.excluded = excluded
            var liking: [String: Liking] = [:], order: [String] = []
            func add(_ id: String, _ kind: Liking) {
                guard !excluded.contains(id) else { return }
                if liking[id] == nil { order.append(id) }
                // Wrote says more than saved, than upvoted, than "more like this".
                let rank: [Liking: Int] = [.mine: 0, .saved: 1, .upvoted: 2, .moreLikeThis: 3]
                if (rank[kind] ?? 4) < (liking[id].flatMap { rank[$0] } ?? 4) { liking[id] = kind }
            }
            for id in inputs.upvoted { add(id, .upvoted) }
            for id in inputs.saved { add(id, .saved) }
            for signal in inputs.signals where signal.kind == .moreLikeThis { add(signal.paperID, .moreLikeThis) }
            for signal in inputs.signals where signal.kind == .mine { add(signal.paperID, .mine) }
            positives = order.map { ($0, liking[$0] ?? .moreLikeThis) }
            negatives = inputs.signals.filter { $0.kind == .notInterested }.map(\.paperID).filter { liking[$0] == nil && !excluded.contains($0) }
            var seen = Set(order).union(negatives).union(excluded)
            let weak = (inputs.signals.filter { $0.kind == .opened }.map(\.paperID) + followed).filter { seen.insert($0).inserted }
            hidden = Set(order).union(inputs.signals.map(\.paperID))
            profile = ReaderProfile(id: String(userID), liked: order, disliked: negatives, weaklyLiked: weak)
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
        Reader(try await store.feedInputs(userID: user.id), followed: try await followedAuthorsPapers(user), userID: user.id)
    }

    /// The newest papers of each author the reader follows, newest authors' first, bounded.
    func followedAuthorsPapers(_ user: User) async throws -> [String] {
        var ids: [String] = []
        for follow in try await store.follows(userID: user.id) where follow.kind == .author && ids.count < Self.maxFollowedPapers {
            ids += try await store.papers(authorSlug: follow.slug, offset: 0, limit: Self.papersPerFollowedAuthor).items.map(\.id)
        }
        return Array(ids.prefix(Self.maxFollowedPapers))
    }

    /// The reader's interests: everything they liked first, then their
    /// collections made interests, by name. `reader` when it was read already.
    public func interests(of user: User, reader: Reader? = nil) async throws -> [ReaderInterest] {
        let known: Reader = if let reader { reader } else { try await self.reader(user) }
        let positives = known.positives.map(\.id)
        return [ReaderInterest(id: .liked, name: ReaderInterest.likedName, positiveIDs: positives)]
            + (try await store.collectionInterests(userID: user.id)).map { collection in
                var interest = ReaderInterest(collection)
                interest.positiveIDs.removeAll { known.excluded.contains($0) }
                return interest
            }
    }

    /// The reader's best `limit` picks: of `interest` alone, or of every
    /// interest blended when nil; only among papers listed in [`since`,
    /// `until`) when either is given. An interest the reader does not have is `.invalid`.
    public func feed(for user: User, limit: Int, since: Day? = nil, until: Day? = nil,
                     interest: ReaderInterest.ID? = nil) async throws -> Feed {
        let reader = try await reader(user)
        let interests = try await interests(of: user, reader: reader)
        let chosen: [ReaderInterest]
        if let interest {
            guard let one = interests.first(where: { $0.id == interest }) else {
                throw Refusal.invalid("you have no interest '\(interest)': yours are \(interests.map { "'\($0.id)'" }.joined(separator: ", "))")
            }
            chosen = one.isReady ? [one] : []
        } else {
            chosen = interests.filter(\.isReady)
        }
        let mutes = MuteRule(try await store.muteSettings(userID: user.id).mutes)
        guard let recommender, reader.positives.count >= Self.positivesNeeded else {
            return .warmingUp(positives: reader.positives.count, hidden: reader.hidden, mutes: mutes)
        }
        let among: Set<String>? = if since != nil || until != nil, let first = Day(year: 1, month: 1, day: 1),
                                     let last = Day(year: 9999, month: 12, day: 31) {
            Set(try await store.listSignals(from: since ?? first, to: until ?? last).map(\.id))
        } else { nil }
        let limit = min(max(limit, Self.limits.lowerBound), Self.limits.upperBound)
        // Muted papers are left out after ranking: rank deeper so that `limit` remain.
        let depth = mutes.isEmpty ? limit : limit * 3 + 20
        // New papers' words, for the models' keyword part (Recommender.refreshKeywords).
        try await recommender.refreshKeywords()
        typealias Ranked = (interest: ReaderInterest, items: [(id: String, score: Float)], closest: [String: [String]])
        let (ranked, training) = try await ModelThreads.pool.runIfActive { () -> ([Ranked], Duration?) in
            var ranked: [Ranked] = [], training: Duration?
            for interest in chosen {
                let profile = self.profile(of: interest, reader: reader, userID: user.id)
                let key = interest.id.description
                // None of an interest's positives has a vector yet (papers just added): it waits.
                guard let trained = try? models.model(for: user.id, interest: key, profile: profile,
                                                      train: { try recommender.trainBlocking($0) }) else { continue }
                let (model, trainedNow) = trained
                if trainedNow { training = (training ?? .zero) + model.trainingTime }
                let items = self.best(model, reader: reader, userID: user.id, interest: key, among: among, limit: depth, recommender: recommender)
                ranked.append((interest, items, recommender.closestPositives(to: items.map(\.id), among: interest.positiveIDs)))
            }
            return (ranked, training)
        }
        if ranked.isEmpty && !chosen.isEmpty {
            // No interest could be trained: trending meanwhile.
            return .warmingUp(positives: reader.positives.count, hidden: reader.hidden, mutes: mutes)
        }
        let reasonIDs = Set(ranked.flatMap { $0.closest.values.flatMap { $0 } })
        let papers = Dictionary(try await store.papers(ids: Array(Set(ranked.flatMap { $0.items.map(\.id) }).union(reasonIDs))).map { ($0.id, $0) },
                                uniquingKeysWith: { first, _ in first })
        let liking = Dictionary(reader.positives.map { ($0.id, $0.liking) }, uniquingKeysWith: { first, _ in first })
        let lists = ranked.map { one in
            one.items.compactMap { item -> Pick? in
                guard let paper = papers[item.id], !mutes.hides(paper) else { return nil }
                let because = (one.closest[item.id] ?? []).compactMap { id in
                    papers[id].map { Because(paperID: id, title: $0.title, liking: liking[id] ?? .moreLikeThis) }
                }
                return Pick(paper: paper, score: item.score, because: because,
                            sharedWords: TitleWords.shared(paper.title, with: because.map(\.title)),
                            interest: one.interest.id, interestName: one.interest.name)
            }
        }
        let picks = InterestBlend.merge(lists, limit: limit, id: \.paper.id).map(\.item)
        return .picks(picks, positives: reader.positives.count, hidden: reader.hidden, training: training)
    }

    /// What `interest`'s model is trained on: its positives, and the reader's
    /// "Not interested" (but the interest's own papers) as negatives.
    func profile(of interest: ReaderInterest, reader: Reader, userID: Int) -> ReaderProfile {
        switch interest.id {
        case .liked:
            return reader.profile
        case .collection(let id):
            let positives = Set(interest.positiveIDs)
            return ReaderProfile(id: "\(userID)/\(id)", liked: interest.positiveIDs, disliked: reader.negatives.filter { !positives.contains($0) })
        }
    }

    /// The best `limit` papers for the model, leaving out every paper the
    /// reader signalled. Without `among`, from the ranking kept with the model
    /// when there is one (made with room for the papers hidden since, which
    /// are left out here), else ranked now and kept.
    private func best(_ model: ReaderModel, reader: Reader, userID: Int, interest: String, among: Set<String>?, limit: Int,
                      recommender: Recommender) -> [(id: String, score: Float)] {
        if let among { return recommender.rankBlocking(model, leavingOut: reader.hidden, among: among, limit: limit) }
        let indexCount = recommender.index.count
        if let kept = models.ranking(for: userID, interest: interest, profile: model.profile, indexCount: indexCount) {
            let visible = kept.items.filter { !reader.hidden.contains($0.id) }
            if visible.count >= limit || kept.items.count < kept.depth { return Array(visible.prefix(limit)) }
        }
        // The profile's own papers are left out by the model; the others the
        // reader hid (read) are left out after, so the ranking outlives them.
        let depth = limit + reader.hidden.count + 100
        let items = recommender.rankBlocking(model, limit: depth)
        models.keep(.init(indexCount: indexCount, depth: depth, items: items), for: userID, interest: interest, profile: model.profile)
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
