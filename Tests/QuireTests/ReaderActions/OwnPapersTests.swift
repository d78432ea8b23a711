import Foundation
import QuireCore
import ReaderActions
import Recommendations
import Search
import Storage
import Testing

/// "My own papers", "don't use this" and the weak positives (opened papers,
/// followed authors), over a real SQLite file and the in-memory store: the
/// same two-topic corpus as `ForYouFeedTests`, with authors.
@Suite struct OwnPapersTests {
    static let day = ForYouFeedTests.day

    static func videoID(_ n: Int) -> String { ForYouFeedTests.videoID(n) }
    static func proteinID(_ n: Int) -> String { ForYouFeedTests.proteinID(n) }

    struct World {
        var store: any QuireStore
        var feed: ForYouFeed
        var signals: FeedSignalActions
        var own: OwnPaperActions
        var ada: User
    }

    /// Video papers 0-2 are by "José Núñez", protein papers 0-1 by "Mary Ann Lee"; the others by "A. Nobody".
    static func world(_ implementation: StoreImplementation) async throws -> World {
        let w = try await ForYouFeedTests.world(implementation) { axis, n in
            [axis == 0 && n < 3 ? "José Núñez" : axis == 1 && n < 2 ? "Mary Ann Lee" : "A. Nobody", "Co Author"]
        }
        return World(store: w.store, feed: w.feed, signals: w.signals, own: OwnPaperActions(store: w.store, signals: w.signals), ada: w.ada)
    }

    @Test(arguments: [StoreImplementation.sqlite, .inMemory])
    func aNameFindsThatAuthorsPapersFoldedAndNothingIsClaimedBeforeConfirming(_ implementation: StoreImplementation) async throws {
        let w = try await Self.world(implementation)
        for name in ["José Núñez", "jose nunez", "  NÚÑEZ, José "] {
            let found = try await w.own.byAuthorName(name, for: w.ada)
            #expect(Set(found.papers.map(\.id)) == Set((0...2).map(Self.videoID)), "\(name)")
            #expect(found.unknown.isEmpty && found.alreadyMine.isEmpty)
        }
        #expect(try await w.own.list(of: w.ada).isEmpty)
        // Nobody by that name: said so, with names close to it.
        let nobody = try await w.own.byAuthorName("Ann Lee", for: w.ada)
        #expect(nobody.papers.isEmpty && nobody.unknown == ["Ann Lee"] && nobody.similarNames.map(\.name) == ["Mary Ann Lee"])
        await #expect(throws: Refusal.self) { try await w.own.byAuthorName("   ", for: w.ada) }

        let claimed = try await w.own.claim([Self.videoID(0), Self.videoID(2), "2412.99999", Self.videoID(0)], by: w.ada)
        #expect(claimed.claimed == [Self.videoID(0), Self.videoID(2)] && claimed.unknown == ["2412.99999"])
        #expect(Set(try await w.own.list(of: w.ada).map(\.id)) == [Self.videoID(0), Self.videoID(2)])
        #expect(try await w.own.byAuthorName("José Núñez", for: w.ada).alreadyMine == [Self.videoID(0), Self.videoID(2)])
        try await w.own.remove(Self.videoID(0), by: w.ada)
        #expect(try await w.own.list(of: w.ada).map(\.id) == [Self.videoID(2)])
        await #expect(throws: Refusal.self) { try await w.own.claim([], by: w.ada) }
    }

    @Test(arguments: [StoreImplementation.sqlite, .inMemory])
    func idListsAndBibTeXReportWhatTheyCannotFind(_ implementation: StoreImplementation) async throws {
        let w = try await Self.world(implementation)
        let list = try await w.own.fromIDList("\(Self.videoID(1))\nhttps://arxiv.org/abs/\(Self.videoID(2))v3, nonsense 2412.99999 \(Self.videoID(1))", for: w.ada)
        #expect(list.papers.map(\.id) == [Self.videoID(1), Self.videoID(2)])
        #expect(list.unknown == ["nonsense: not an arXiv id", "2412.99999: not on this server"])

        let bibtex = """
        @misc{mine, title={Video diffusion model 3}, eprint={\(Self.videoID(3))}, archivePrefix={arXiv}}
        @article{journal, title={In a journal only}, journal={Nature}}
        @misc{elsewhere, doi={10.48550/arXiv.2412.99998}}
        """
        let fromFile = try await w.own.fromBibTeX(bibtex, for: w.ada)
        #expect(fromFile.papers.map(\.id) == [Self.videoID(3)])
        #expect(fromFile.unknown == ["journal (line 2): no arXiv id, “In a journal only”", "2412.99998: not on this server"])
        do {
            _ = try await w.own.fromBibTeX("@misc{broken, title={x}", for: w.ada)
            Issue.record("an unclosed entry is refused")
        } catch let refusal as Refusal {
            #expect(refusal == .invalid("This BibTeX file cannot be read: line 1, column 24: the entry “broken” opened on line 1 is never closed"))
        }
        await #expect(throws: Refusal.self) { try await w.own.fromBibTeX("no entries here", for: w.ada) }
        await #expect(throws: Refusal.self) { try await w.own.fromIDList(" \n ", for: w.ada) }
    }

    @Test(arguments: [StoreImplementation.sqlite, .inMemory])
    func ownPapersAreStrongPositivesThatStartTheFeed(_ implementation: StoreImplementation) async throws {
        let w = try await Self.world(implementation)
        _ = try await w.own.claim((0...4).map(Self.videoID), by: w.ada)
        guard case .picks(let picks, let positives, let hidden, _) = try await w.feed.feed(for: w.ada, limit: 5) else {
            Issue.record("five own papers start the feed"); return
        }
        #expect(positives == 5 && hidden == Set((0...4).map(Self.videoID)))
        #expect(picks.allSatisfy { $0.paper.title.hasPrefix("Video") })
        #expect(picks.allSatisfy { pick in pick.because.allSatisfy { $0.liking == .mine } && pick.reason.hasPrefix("Because you wrote “") })
        // "Not interested" in one's own paper unclaims it.
        try await w.signals.set(.notInterested, on: true, paperID: Self.videoID(4), by: w.ada)
        #expect(try await w.own.list(of: w.ada).count == 4)
    }

    @Test(arguments: [StoreImplementation.sqlite, .inMemory])
    func aPaperLeftOutStopsCountingAndIsNeverNamedButItsUpvoteStays(_ implementation: StoreImplementation) async throws {
        let w = try await Self.world(implementation)
        try await ForYouFeedTests.likeVideo(.init(store: w.store, feed: w.feed, signals: w.signals, ada: w.ada))
        _ = try await w.store.setUpvote(userID: w.ada.id, paperID: Self.proteinID(0), on: true, now: Date())
        guard case .picks(_, 6, _, _) = try await w.feed.feed(for: w.ada, limit: 30) else { Issue.record("six positives"); return }
        try await w.signals.set(.excluded, on: true, paperID: Self.proteinID(0), by: w.ada)
        let reader = try await w.feed.reader(w.ada)
        #expect(!reader.profile.liked.contains(Self.proteinID(0)) && !reader.profile.weaklyLiked.contains(Self.proteinID(0)))
        guard case .picks(let picks, let positives, let hidden, let retrained) = try await w.feed.feed(for: w.ada, limit: 30) else {
            Issue.record("picks"); return
        }
        #expect(positives == 5 && retrained != nil && hidden.contains(Self.proteinID(0)))
        #expect(picks.allSatisfy { pick in !pick.because.contains { $0.paperID == Self.proteinID(0) } })
        #expect(try await w.store.upvotedPaperIDs(userID: w.ada.id, among: [Self.proteinID(0)]) == [Self.proteinID(0)])
        // Undone on the settings: it counts again.
        try await w.signals.set(.excluded, on: false, paperID: Self.proteinID(0), by: w.ada)
        #expect(try await w.feed.reader(w.ada).profile.liked.contains(Self.proteinID(0)))
    }

    @Test(arguments: [StoreImplementation.sqlite, .inMemory])
    func openedPapersAndFollowedAuthorsAreWeakPositivesThatNeverStartTheFeed(_ implementation: StoreImplementation) async throws {
        let w = try await Self.world(implementation)
        for n in 5...11 { try await w.signals.noteOpened(paperID: Self.videoID(n), by: w.ada) }
        try await w.signals.noteOpened(paperID: Self.videoID(5), by: w.ada)
        try await w.store.setFollow(Follow(kind: .author, slug: Slug.stable("Mary Ann Lee")), userID: w.ada.id, on: true, now: Date())
        guard case .warmingUp(let positives, let hidden, _) = try await w.feed.feed(for: w.ada, limit: 5) else {
            Issue.record("weak positives alone do not start the feed"); return
        }
        #expect(positives == 0 && hidden == Set((5...11).map(Self.videoID)))
        #expect(try await w.signals.signals(of: w.ada).filter { $0.kind == .opened }.count == 7)
        let reader = try await w.feed.reader(w.ada)
        #expect(Set(reader.profile.weaklyLiked) == Set((5...11).map(Self.videoID) + [Self.proteinID(0), Self.proteinID(1)]))

        // With explicit positives, a followed author's paper may be picked; an opened one never.
        _ = try await w.own.claim((0...4).map(Self.videoID), by: w.ada)
        guard case .picks(let picks, _, _, _) = try await w.feed.feed(for: w.ada, limit: 70) else { Issue.record("picks"); return }
        let ids = picks.map(\.paper.id)
        #expect(!ids.contains { (5...11).map(Self.videoID).contains($0) })
        #expect(ids.contains(Self.proteinID(0)) && ids.contains(Self.proteinID(1)))
    }

    @Test func weakPositivesWeighLessThanLikesAndNeverTrainAlone() throws {
        let index = VectorIndex(dimension: 2)
        for (id, v) in [("a", [1, 0]), ("b", [0, 1]), ("c", [0.9, 0.1]), ("d", [0.1, 0.9])] as [(String, [Float])] {
            let norm = sqrt(v.reduce(0) { $0 + $1 * $1 })
            index.add(id: id, vector: v.map { $0 / norm })
        }
        for n in 0..<40 {
            let angle = Float(n) / 40 * .pi / 2
            index.add(id: "n\(n)", vector: [cos(angle), sin(angle)])
        }
        let recommender = Recommender(index: index)
        #expect(throws: RecommendationError.self) { try recommender.recommendBlocking(ReaderProfile(id: "r", liked: [], weaklyLiked: ["a"]), limit: 5) }
        // One like on "a"'s side, one weak positive on "b"'s: "a"'s side still leads.
        let ranked = try recommender.recommendBlocking(ReaderProfile(id: "r", liked: ["a"], weaklyLiked: ["b"]), limit: 44).items.map(\.id)
        #expect(ranked.firstIndex(of: "c") ?? 99 < ranked.firstIndex(of: "d") ?? 0)
        #expect(!ranked.contains("a") && !ranked.contains("b"))
        // `quire recommend` lines take the field, optional.
        #expect(try ReaderProfile.parse(jsonLine: #"{"_id": "r", "liked": ["a"], "weakly_liked": ["b"]}"#).weaklyLiked == ["b"])
        #expect(try ReaderProfile.parse(jsonLine: #"{"_id": "r", "liked": ["a"]}"#).weaklyLiked == [])
        #expect(throws: ProfileLineError.self) { try ReaderProfile.parse(jsonLine: #"{"_id": "r", "liked": ["a"], "weakly_liked": "b"}"#) }
        #expect(ReaderModelCache.fingerprint(ReaderProfile(id: "r", liked: ["a"])) != ReaderModelCache.fingerprint(ReaderProfile(id: "r", liked: ["a"], weaklyLiked: ["b"])))
    }
}
