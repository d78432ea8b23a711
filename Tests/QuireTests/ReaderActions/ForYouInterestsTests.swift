import Foundation
import QuireCore
import ReaderActions
import Recommendations
import Search
import Storage
import Testing

/// A reader's several interests (ForYouFeed, InterestActions, InterestBlend)
/// over a real SQLite file and the in-memory store: the corpus of
/// `ForYouFeedTests` (12 papers on video diffusion, 60 on proteins), a
/// collection of each made an interest.
@Suite struct ForYouInterestsTests {
    typealias F = ForYouFeedTests

    struct World {
        var base: ForYouFeedTests.World
        var video: PaperCollection
        var proteins: PaperCollection
        var interests: InterestActions
    }

    /// Ada saves five video papers in "Video" and five protein papers in
    /// "Proteins", and makes both interests.
    static func world(_ implementation: StoreImplementation) async throws -> World {
        let w = try await F.world(implementation)
        let collections = CollectionActions(store: w.store)
        let video = try await collections.create(name: "Video", description: nil, isPublic: false, by: w.ada)
        let proteins = try await collections.create(name: "Proteins", description: nil, isPublic: false, by: w.ada)
        for n in 0..<5 {
            try await collections.save(F.videoID(n), to: video.id, note: "", by: w.ada)
            try await collections.save(F.proteinID(n), to: proteins.id, note: "", by: w.ada)
        }
        let interests = InterestActions(store: w.store)
        try await interests.set(video.id, on: true, by: w.ada)
        try await interests.set(proteins.id, on: true, by: w.ada)
        return World(base: w, video: video, proteins: proteins, interests: interests)
    }

    static func picks(_ feed: ForYouFeed.Feed) -> [ForYouFeed.Pick] {
        if case .picks(let picks, _, _, _) = feed { return picks }
        Issue.record("expected picks, got \(feed)")
        return []
    }

    static func isVideo(_ pick: ForYouFeed.Pick) -> Bool { pick.paper.title.hasPrefix("Video") }

    @Test(arguments: [StoreImplementation.sqlite, .inMemory])
    func eachInterestPicksItsOwnTopicAndTheBlendTakesTurns(_ implementation: StoreImplementation) async throws {
        let w = try await Self.world(implementation)
        let interests = try await w.base.feed.interests(of: w.base.ada)
        #expect(interests.map(\.id) == [.liked, .collection(w.proteins.id), .collection(w.video.id)])
        #expect(interests.map(\.positiveIDs.count) == [10, 5, 5] && interests.allSatisfy(\.isReady))

        // One at a time: each collection's model picks its own topic, and says so.
        let video = Self.picks(try await w.base.feed.feed(for: w.base.ada, limit: 5, interest: .collection(w.video.id)))
        #expect(video.count == 5 && video.allSatisfy { Self.isVideo($0) && $0.interest == .collection(w.video.id) && $0.interestName == "Video" })
        #expect(video.allSatisfy { $0.because.allSatisfy { (0..<5).map(F.videoID).contains($0.paperID) } })
        let proteins = Self.picks(try await w.base.feed.feed(for: w.base.ada, limit: 5, interest: .collection(w.proteins.id)))
        #expect(proteins.count == 5 && proteins.allSatisfy { !Self.isVideo($0) && $0.interestName == "Proteins" })

        // Blended: the three take turns by rank (liked, Proteins, Video), no paper twice.
        let blended = Self.picks(try await w.base.feed.feed(for: w.base.ada, limit: 9))
        #expect(blended.count == 9 && Set(blended.map(\.paper.id)).count == 9)
        #expect(blended.prefix(3).map(\.interest) == [.liked, .collection(w.proteins.id), .collection(w.video.id)])
        #expect(blended.filter { $0.interest == .collection(w.video.id) }.allSatisfy(Self.isVideo))
        #expect(blended.filter { $0.interest == .collection(w.proteins.id) }.allSatisfy { !Self.isVideo($0) })
        // The video interest is not drowned by the larger protein corpus: it has its turns.
        #expect(blended.filter { $0.interest == .collection(w.video.id) }.count >= 2)
    }

    /// "Don't use this" on a paper of a collection made an interest: that
    /// interest stops counting it too, so it trains on one paper fewer, waits
    /// below five, and never names it in a reason.
    @Test(arguments: [StoreImplementation.sqlite, .inMemory])
    func aPaperNotUsedStopsCountingInItsCollectionsInterest(_ implementation: StoreImplementation) async throws {
        let w = try await Self.world(implementation)
        try await w.base.signals.set(.excluded, on: true, paperID: F.videoID(0), by: w.base.ada)
        let video = try #require(try await w.base.feed.interests(of: w.base.ada).first { $0.id == .collection(w.video.id) })
        #expect(video.positiveIDs == (1..<5).map(F.videoID) && !video.isReady)
        #expect(Self.picks(try await w.base.feed.feed(for: w.base.ada, limit: 5, interest: .collection(w.video.id))).isEmpty)
        let blended = Self.picks(try await w.base.feed.feed(for: w.base.ada, limit: 9))
        #expect(!blended.isEmpty && !blended.contains { $0.because.contains { $0.paperID == F.videoID(0) } })
    }

    @Test(arguments: [StoreImplementation.sqlite, .inMemory])
    func aSmallInterestSaysSoAndAnUnknownOneIsRefused(_ implementation: StoreImplementation) async throws {
        let w = try await Self.world(implementation)
        let small = try await CollectionActions(store: w.base.store).create(name: "Small", description: nil, isPublic: false, by: w.base.ada)
        try await CollectionActions(store: w.base.store).save(F.videoID(7), to: small.id, note: "", by: w.base.ada)
        try await w.interests.set(small.id, on: true, by: w.base.ada)
        let listed = try await w.base.feed.interests(of: w.base.ada)
        #expect(listed.first { $0.id == .collection(small.id) }.map { !$0.isReady && $0.positiveIDs.count == 1 } == true)
        // Alone, it picks nothing rather than noise; in the blend it waits.
        #expect(Self.picks(try await w.base.feed.feed(for: w.base.ada, limit: 5, interest: .collection(small.id))).isEmpty)
        #expect(!Self.picks(try await w.base.feed.feed(for: w.base.ada, limit: 20)).contains { $0.interest == .collection(small.id) })

        await #expect(throws: Refusal.self) { try await w.base.feed.feed(for: w.base.ada, limit: 5, interest: .collection(99_999)) }
        // Another reader's collection is not an interest of theirs, nor theirs to change.
        let bob = try await w.base.store.createUser(username: "bob", email: "bob@example.org", passwordHash: "x", role: .reader, now: Date())
        await #expect(throws: Refusal.self) { try await w.base.feed.feed(for: bob, limit: 5, interest: .collection(w.video.id)) }
        await #expect(throws: Refusal.notFound("you have no collection \(w.video.id)")) { try await w.interests.set(w.video.id, on: false, by: bob) }
        // Turned off, it is gone from the list and the address.
        try await w.interests.set(small.id, on: false, by: w.base.ada)
        await #expect(throws: Refusal.self) { try await w.base.feed.feed(for: w.base.ada, limit: 5, interest: .collection(small.id)) }
    }

    @Test(arguments: [StoreImplementation.sqlite, .inMemory])
    func notInterestedTeachesEveryInterestAndModelsAreKeptPerInterest(_ implementation: StoreImplementation) async throws {
        let w = try await Self.world(implementation)
        let videoID = ReaderInterest.ID.collection(w.video.id)
        guard case .picks(let first, _, _, let trained) = try await w.base.feed.feed(for: w.base.ada, limit: 4, interest: videoID), trained != nil
        else { Issue.record("trained on the first request"); return }
        // The same request again: the interest's model and ranking are kept.
        guard case .picks(let again, _, _, let cached) = try await w.base.feed.feed(for: w.base.ada, limit: 4, interest: videoID) else { return }
        #expect(cached == nil && again.map(\.paper.id) == first.map(\.paper.id))
        // The blend trains only the interests not trained yet (liked and Proteins).
        guard case .picks(_, _, _, let blendTrained) = try await w.base.feed.feed(for: w.base.ada, limit: 4), blendTrained != nil else { return }
        guard case .picks(_, _, _, let blendCached) = try await w.base.feed.feed(for: w.base.ada, limit: 4) else { return }
        #expect(blendCached == nil)

        // "Not interested" is a negative of every interest's model: the video interest trains again, without that paper.
        let dismissed = try #require(first.first).paper.id
        try await w.base.signals.set(.notInterested, on: true, paperID: dismissed, by: w.base.ada)
        guard case .picks(let after, _, _, let retrained) = try await w.base.feed.feed(for: w.base.ada, limit: 4, interest: videoID) else { return }
        #expect(retrained != nil && !after.contains { $0.paper.id == dismissed })
    }

    @Test func theCapOfInterestsIsARule() async throws {
        let w = try await F.world(.sqlite)
        let collections = CollectionActions(store: w.store), interests = InterestActions(store: w.store)
        for n in 0...InterestActions.maxCollections {
            let c = try await collections.create(name: "C\(n)", description: nil, isPublic: false, by: w.ada)
            if n < InterestActions.maxCollections {
                try await interests.set(c.id, on: true, by: w.ada)
            } else {
                await #expect(throws: Refusal.self) { try await interests.set(c.id, on: true, by: w.ada) }
            }
        }
        #expect(try await interests.collectionIDs(of: w.ada).count == InterestActions.maxCollections)
    }

    @Test func interestAddressesAreLikedAllOrACollectionsNumber() throws {
        #expect(try ReaderInterest.ID.choice(nil) == nil && ReaderInterest.ID.choice("all") == nil)
        #expect(try ReaderInterest.ID.choice("liked") == .liked && ReaderInterest.ID.choice("12") == .collection(12))
        for bad in ["", "0", "-3", "1e3", "12a", " 12", "Liked", String(repeating: "9", count: 30)] {
            #expect(throws: Refusal.self) { try ReaderInterest.ID.choice(bad) }
        }
        #expect(ReaderInterest.ID.collection(12).description == "12" && ReaderInterest.ID.liked.description == "liked")
    }

    @Test func theBlendTakesTurnsAndShowsASharedPaperOnce() {
        // Round one: a, b, e. Round two: the first list's b is shown, so it adds c; then d. Then c's list runs out… and d's.
        let merged = InterestBlend.merge([["a", "b", "c"], ["b", "d"], ["e"]], limit: 6) { $0 }
        #expect(merged.map(\.item) == ["a", "b", "e", "c", "d"] && merged.map(\.list) == [0, 1, 2, 0, 1])
        #expect(InterestBlend.merge([["a", "b", "c"], ["x", "y"]], limit: 3) { $0 }.map(\.item) == ["a", "x", "b"])
        #expect(InterestBlend.merge([[String]](), limit: 3) { $0 }.isEmpty)
    }
}
