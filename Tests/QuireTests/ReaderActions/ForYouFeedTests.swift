import Foundation
import QuireCore
import ReaderActions
import Recommendations
import Search
import Storage
import Testing

/// The rules of "For you" (ForYouFeed, FeedSignalActions) over a real SQLite
/// file and the in-memory store, with a made-up corpus of two topics whose
/// vectors are set by hand: 12 papers on video diffusion, 60 on proteins.
@Suite struct ForYouFeedTests {
    static let day = Day(year: 2026, month: 11, day: 2) ?? Day(date: Date())
    static let dimension = 16

    static func videoID(_ n: Int) -> String { "2411.1\(String(format: "%04d", n))" }
    static func proteinID(_ n: Int) -> String { "2411.2\(String(format: "%04d", n))" }

    struct World {
        var store: any QuireStore
        var feed: ForYouFeed
        var signals: FeedSignalActions
        var ada: User
    }

    /// `authors(topic, n)`: the authors of paper `n` of topic 0 (video) or 1 (proteins).
    static func world(_ implementation: StoreImplementation,
                      authors: (Int, Int) -> [String] = { _, _ in [] }) async throws -> World {
        let store = try await implementation.make()
        var papers: [Paper] = []
        let index = VectorIndex(dimension: dimension)
        var random = SeededGenerator(state: 11)
        for (axis, count, id, title) in [(0, 12, videoID, "Video diffusion model"), (1, 60, proteinID, "Protein folding")] as [(Int, Int, (Int) -> String, String)] {
            for n in 0..<count {
                papers.append(Paper(id: id(n), title: "\(title) \(n)", abstract: "x", authors: authors(axis, n),
                                    dailyDate: day.adding(days: -(n % 5))))
                var v = (0..<dimension).map { _ in Float.random(in: -0.3...0.3, using: &random) }
                v[axis] += 1
                let norm = sqrt(v.reduce(0) { $0 + $1 * $1 })
                index.add(id: id(n), vector: v.map { $0 / norm })
            }
        }
        _ = try await store.upsert(papers)
        let ada = try await store.createUser(username: "ada", email: "ada@example.org", passwordHash: "x", role: .reader, now: Date())
        return World(store: store, feed: ForYouFeed(store: store, recommender: Recommender(index: index), models: ReaderModelCache()),
                     signals: FeedSignalActions(store: store), ada: ada)
    }

    /// Five positives on video: two upvotes, a save, two "more like this".
    static func likeVideo(_ w: World) async throws {
        _ = try await w.store.setUpvote(userID: w.ada.id, paperID: videoID(0), on: true, now: Date())
        _ = try await w.store.setUpvote(userID: w.ada.id, paperID: videoID(1), on: true, now: Date())
        let saved = try await w.store.createCollection(userID: w.ada.id, name: "Saved", description: "", isPublic: false, now: Date())
        try await w.store.saveToCollection(id: saved.id, paperID: videoID(2), note: "", now: Date())
        try await w.signals.set(.moreLikeThis, on: true, paperID: videoID(3), by: w.ada)
        try await w.signals.set(.moreLikeThis, on: true, paperID: videoID(4), by: w.ada)
    }

    @Test(arguments: [StoreImplementation.sqlite, .inMemory])
    func trendingUntilFivePositivesThenPicksFromTheReadersTopic(_ implementation: StoreImplementation) async throws {
        let w = try await Self.world(implementation)
        try await w.signals.set(.moreLikeThis, on: true, paperID: Self.videoID(3), by: w.ada)
        try await w.signals.set(.read, on: true, paperID: Self.videoID(9), by: w.ada)
        guard case .warmingUp(let positives, let hidden, _) = try await w.feed.feed(for: w.ada, limit: 10) else {
            Issue.record("one positive is not enough for picks"); return
        }
        #expect(positives == 1 && hidden == [Self.videoID(3), Self.videoID(9)])

        try await Self.likeVideo(w)
        try await w.signals.set(.notInterested, on: true, paperID: Self.videoID(5), by: w.ada)
        guard case .picks(let picks, let count, let hiddenNow, let training) = try await w.feed.feed(for: w.ada, limit: 5) else {
            Issue.record("five positives give picks"); return
        }
        #expect(count == 5 && training != nil)
        #expect(picks.count == 5 && picks.allSatisfy { $0.paper.title.hasPrefix("Video") })
        // Nothing upvoted, saved, asked more like, dismissed or read comes back.
        let signalled = Set((0...5).map(Self.videoID) + [Self.videoID(9)])
        #expect(hiddenNow == signalled && picks.allSatisfy { !signalled.contains($0.paper.id) })
        for pick in picks {
            #expect((1...3).contains(pick.because.count))
            #expect(pick.because.allSatisfy { (0...4).map(Self.videoID).contains($0.paperID) })
            #expect(pick.sharedWords == ["video", "diffusion", "model"])
            #expect(pick.reason.hasPrefix("Because you ") && pick.reason.hasSuffix(" · shares: video, diffusion, model"))
        }
        // A dismissed pick is gone on the next request, and the model was trained again for it.
        let first = try #require(picks.first)
        try await w.signals.set(.notInterested, on: true, paperID: first.paper.id, by: w.ada)
        guard case .picks(let after, _, _, let retrained) = try await w.feed.feed(for: w.ada, limit: 5) else { Issue.record("picks"); return }
        #expect(retrained != nil && !after.contains { $0.paper.id == first.paper.id })
    }

    @Test(arguments: [StoreImplementation.sqlite, .inMemory])
    func mutedPapersAreNeverPickedAndThePicksStayFull(_ implementation: StoreImplementation) async throws {
        let w = try await Self.world(implementation)
        try await Self.likeVideo(w)
        guard case .picks(let before, _, _, _) = try await w.feed.feed(for: w.ada, limit: 4) else { Issue.record("picks"); return }
        let first = try #require(before.first).paper
        let mutes = MuteActions(store: w.store)
        // The first pick's own number, as a phrase: "model 7".
        _ = try await mutes.add(.phrase, "model " + String(first.title.split(separator: " ").last ?? ""), by: w.ada)
        guard case .picks(let after, _, _, _) = try await w.feed.feed(for: w.ada, limit: 4) else { Issue.record("picks"); return }
        #expect(after.count == 4 && !after.contains { $0.paper.id == first.id })
        // A muted category hides trending papers too, while the feed warms up.
        let bob = try await w.store.createUser(username: "bob", email: "bob@example.org", passwordHash: "x", role: .reader, now: Date())
        _ = try await mutes.add(.phrase, "protein", by: bob)
        guard case .warmingUp(_, _, let rule) = try await w.feed.feed(for: bob, limit: 4) else { Issue.record("warming up"); return }
        #expect(rule.hides(Paper(id: "x", title: "Protein folding 3", abstract: "")))
    }

    @Test(arguments: [StoreImplementation.sqlite, .inMemory])
    func theModelIsKeptUntilTheSignalsChange(_ implementation: StoreImplementation) async throws {
        let w = try await Self.world(implementation)
        try await Self.likeVideo(w)
        guard case .picks(let picks, _, _, let training) = try await w.feed.feed(for: w.ada, limit: 3), training != nil else {
            Issue.record("trained on the first request"); return
        }
        guard case .picks(let again, _, _, let cached) = try await w.feed.feed(for: w.ada, limit: 3) else { Issue.record("picks"); return }
        #expect(cached == nil && again.map(\.paper.id) == picks.map(\.paper.id))
        // "Mark as read" only hides: the model stays as it was, and the paper
        // comes back where it was when it is marked unread.
        let best = try #require(picks.first).paper.id
        try await w.signals.set(.read, on: true, paperID: best, by: w.ada)
        guard case .picks(let read, _, _, let stillCached) = try await w.feed.feed(for: w.ada, limit: 3) else { Issue.record("picks"); return }
        #expect(stillCached == nil && !read.contains { $0.paper.id == best } && read.count == 3)
        #expect(read.map(\.paper.id) == Array(picks.dropFirst().map(\.paper.id)) + [read[2].paper.id])
        try await w.signals.set(.read, on: false, paperID: best, by: w.ada)
        guard case .picks(let unread, _, _, _) = try await w.feed.feed(for: w.ada, limit: 3) else { Issue.record("picks"); return }
        #expect(unread.map(\.paper.id) == picks.map(\.paper.id))
        _ = try await w.store.setUpvote(userID: w.ada.id, paperID: Self.videoID(8), on: true, now: Date())
        guard case .picks(_, _, _, let retrained) = try await w.feed.feed(for: w.ada, limit: 3) else { Issue.record("picks"); return }
        #expect(retrained != nil)
    }

    @Test(arguments: [StoreImplementation.sqlite, .inMemory])
    func sinceKeepsOnlyPapersListedFromThatDay(_ implementation: StoreImplementation) async throws {
        let w = try await Self.world(implementation)
        try await Self.likeVideo(w)
        guard case .picks(let picks, _, _, _) = try await w.feed.feed(for: w.ada, limit: 20, since: Self.day) else { Issue.record("picks"); return }
        #expect(!picks.isEmpty && picks.allSatisfy { $0.paper.listDay == Self.day })
    }

    @Test(arguments: [StoreImplementation.sqlite, .inMemory])
    func onboardingOffersEveryTopicAndLeavesOutWhatWasPicked(_ implementation: StoreImplementation) async throws {
        let w = try await Self.world(implementation)
        let offered = try await w.feed.onboarding(for: w.ada, hidden: [], count: 2)
        #expect(offered.count == 2 && Set(offered.map { $0.title.hasPrefix("Video") }) == [true, false])
        let hidden = Set(offered.map(\.id))
        #expect(try await w.feed.onboarding(for: w.ada, hidden: hidden, count: 2).allSatisfy { !hidden.contains($0.id) })
    }

    @Test(arguments: [StoreImplementation.sqlite, .inMemory])
    func theTwoOpinionsExcludeEachOtherAndTheExportHoldsThem(_ implementation: StoreImplementation) async throws {
        let w = try await Self.world(implementation)
        try await w.signals.set(.moreLikeThis, on: true, paperID: Self.videoID(1), by: w.ada)
        try await w.signals.set(.read, on: true, paperID: Self.videoID(1), by: w.ada)
        try await w.signals.set(.notInterested, on: true, paperID: Self.videoID(1), by: w.ada)
        #expect(Set(try await w.signals.signals(of: w.ada).map(\.kind)) == [.read, .notInterested])
        try await w.signals.set(.moreLikeThis, on: true, paperID: Self.videoID(1), by: w.ada)
        #expect(Set(try await w.signals.signals(of: w.ada).map(\.kind)) == [.read, .moreLikeThis])
        await #expect(throws: Refusal.notFound("Quire has no paper '2499.00001'")) {
            try await w.signals.set(.read, on: true, paperID: "2499.00001", by: w.ada)
        }
        let accounts = AccountActions(store: w.store, hasher: PasswordHasher(cost: 4), lockout: .never)
        #expect(Set(try await accounts.export(w.ada).feedSignals.map(\.kind)) == [.read, .moreLikeThis])
    }

    @Test func withoutVectorsTheFeedStaysOnTrending() async throws {
        let store = InMemoryStore()
        _ = try await store.upsert((0..<6).map { Paper(id: Self.videoID($0), title: "Video \($0)", abstract: "x", dailyDate: Self.day) })
        let ada = try await store.createUser(username: "ada", email: "ada@example.org", passwordHash: "x", role: .reader, now: Date())
        for n in 0..<6 { _ = try await store.setUpvote(userID: ada.id, paperID: Self.videoID(n), on: true, now: Date()) }
        let feed = ForYouFeed(store: store, recommender: nil, models: ReaderModelCache())
        guard case .warmingUp(6, _, _) = try await feed.feed(for: ada, limit: 5) else { Issue.record("no model, no picks"); return }
        #expect(try await feed.onboarding(for: ada, hidden: []).isEmpty && !feed.hasModel)
    }

    @Test func titleWordsLeaveOutStopWordsAndNumbers() {
        #expect(TitleWords.words("Towards Efficient Video-Diffusion with the 3D U-Net in 2024") == ["video-diffusion", "u-net"])
        #expect(TitleWords.shared("Long video generation with sparse attention", with: ["Sparse attention for long context"]) == ["long", "sparse", "attention"])
    }

    @Test func theModelCacheKeepsTheMostRecentlyUsedReaders() throws {
        let index = VectorIndex(dimension: 2)
        index.add(id: "a", vector: [1, 0]); index.add(id: "b", vector: [0, 1])
        let recommender = Recommender(index: index)
        let cache = ReaderModelCache(capacity: 2)
        let profile = ReaderProfile(id: "r", liked: ["a"])
        for reader in [1, 2, 1, 3] { _ = try cache.model(for: reader, profile: profile) { try recommender.trainBlocking($0) } }
        #expect(cache.count == 2)
        #expect(try cache.model(for: 1, profile: profile) { try recommender.trainBlocking($0) }.trainedNow == false)
        #expect(try cache.model(for: 2, profile: profile) { try recommender.trainBlocking($0) }.trainedNow == true)
        // The same papers in another order are the same profile.
        #expect(ReaderModelCache.fingerprint(ReaderProfile(id: "x", liked: ["b", "a"])) == ReaderModelCache.fingerprint(ReaderProfile(id: "y", liked: ["a", "b"])))
    }

    /// The nightly retraining: a model a day old is trained again when next
    /// asked for, over the corpus as it is then (papers added since can be
    /// sampled as negatives); a younger one with the same signals is kept.
    @Test func aModelADayOldIsTrainedAgainOverTodaysCorpus() throws {
        let index = VectorIndex(dimension: 2)
        index.add(id: "a", vector: [1, 0]); index.add(id: "b", vector: [0, 1])
        let recommender = Recommender(index: index)
        let clock = Clock(Date(timeIntervalSince1970: 1_800_000_000))
        let cache = ReaderModelCache(maxAge: 24 * 60 * 60, now: { clock.now })
        let profile = ReaderProfile(id: "r", liked: ["a"])
        func ask() throws -> Bool { try cache.model(for: 1, profile: profile) { try recommender.trainBlocking($0) }.trainedNow }
        #expect(try ask() == true)
        clock.advance(by: 23 * 60 * 60)
        #expect(try ask() == false)
        index.add(id: "c", vector: [0.6, 0.8])
        clock.advance(by: 60 * 60)
        #expect(try ask() == true)
        #expect(try ask() == false)
    }
}

extension ForYouFeedTests {
    /// A time that moves only when told to.
    final class Clock: @unchecked Sendable { // `lock` guards `date`
        private let lock = NSLock()
        private var date: Date
        init(_ start: Date) { date = start }
        var now: Date { lock.withLock { date } }
        func advance(by seconds: TimeInterval) { lock.withLock { date += seconds } }
    }
}
