import Foundation
import QuireCore
import Storage
import Testing

/// What every `FeedSignalStore` keeps true: one row per reader, paper and
/// kind; contrary kinds cleared in the same write; the cap checked with the
/// write; upvotes, saves and signals read back together, in order.
@Suite(.postgresSchemas) struct FeedSignalStoreContract {
    static let day = Day(year: 2026, month: 11, day: 2) ?? Day(date: Date())

    static func setUp(_ implementation: StoreImplementation) async throws -> (store: any QuireStore, ada: User, bob: User) {
        let store = try await implementation.make()
        _ = try await store.upsert((1...4).map { Paper(id: "2410.0000\($0)", title: "Paper \($0)", abstract: "x", dailyDate: Self.day) })
        let ada = try await store.createUser(username: "ada", email: "ada@example.org", passwordHash: "x", role: .reader, now: Date())
        let bob = try await store.createUser(username: "bob", email: "bob@example.org", passwordHash: "x", role: .reader, now: Date())
        return (store, ada, bob)
    }

    @Test(arguments: StoreImplementation.allCases)
    func signalsAreSetOnceClearedAndKeptApart(_ implementation: StoreImplementation) async throws {
        let (store, ada, bob) = try await Self.setUp(implementation)
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(try await store.setFeedSignal(userID: ada.id, paperID: "2410.00001", kind: .moreLikeThis, on: true, clearing: [],
                                              now: t0, ifFewerThan: 10) == .saved)
        // A repeat changes nothing, not even the time.
        #expect(try await store.setFeedSignal(userID: ada.id, paperID: "2410.00001", kind: .moreLikeThis, on: true, clearing: [],
                                              now: t0.addingTimeInterval(60), ifFewerThan: 10) == .saved)
        _ = try await store.setFeedSignal(userID: ada.id, paperID: "2410.00002", kind: .read, on: true, clearing: [],
                                          now: t0.addingTimeInterval(1), ifFewerThan: 10)
        _ = try await store.setFeedSignal(userID: bob.id, paperID: "2410.00001", kind: .notInterested, on: true, clearing: [],
                                          now: t0, ifFewerThan: 10)
        #expect(try await store.feedSignals(userID: ada.id) == [
            FeedSignal(paperID: "2410.00002", kind: .read, createdAt: t0.addingTimeInterval(1)),
            FeedSignal(paperID: "2410.00001", kind: .moreLikeThis, createdAt: t0),
        ])
        // Dismissing takes "more like this" back in the same write; reading stays.
        _ = try await store.setFeedSignal(userID: ada.id, paperID: "2410.00001", kind: .notInterested, on: true, clearing: [.moreLikeThis],
                                          now: t0.addingTimeInterval(2), ifFewerThan: 10)
        _ = try await store.setFeedSignal(userID: ada.id, paperID: "2410.00002", kind: .notInterested, on: true, clearing: [.moreLikeThis],
                                          now: t0.addingTimeInterval(3), ifFewerThan: 10)
        #expect(try await store.feedSignals(userID: ada.id).map { "\($0.paperID) \($0.kind.rawValue)" }
                == ["2410.00002 not_interested", "2410.00001 not_interested", "2410.00002 read"])
        _ = try await store.setFeedSignal(userID: ada.id, paperID: "2410.00002", kind: .read, on: false, clearing: [],
                                          now: t0, ifFewerThan: 10)
        _ = try await store.setFeedSignal(userID: ada.id, paperID: "2410.00002", kind: .read, on: false, clearing: [],
                                          now: t0, ifFewerThan: 10)
        #expect(try await store.feedSignals(userID: ada.id).map(\.kind) == [.notInterested, .notInterested])
        #expect(try await store.feedSignals(userID: bob.id).map(\.paperID) == ["2410.00001"])
        // A page's entries read in one query: only those papers, only this reader's.
        #expect(try await store.feedSignals(userID: ada.id, among: ["2410.00002", "2410.00003", "2499.99999"]).map { "\($0.paperID) \($0.kind.rawValue)" }
                == ["2410.00002 not_interested"])
        #expect(try await store.feedSignals(userID: ada.id, among: []).isEmpty)

        await #expect(throws: Refusal.self) {
            try await store.setFeedSignal(userID: ada.id, paperID: "2499.99999", kind: .read, on: true, clearing: [], now: t0, ifFewerThan: 10)
        }
        // Deleting the account deletes its signals.
        try await store.deleteUser(id: ada.id)
        #expect(try await store.feedSignals(userID: ada.id).isEmpty)
    }

    @Test(arguments: StoreImplementation.allCases)
    func theCapStopsNewSignalsButNeverTakingOneBack(_ implementation: StoreImplementation) async throws {
        let (store, ada, _) = try await Self.setUp(implementation)
        for number in 1...2 {
            #expect(try await store.setFeedSignal(userID: ada.id, paperID: "2410.0000\(number)", kind: .read, on: true, clearing: [],
                                                  now: Date(), ifFewerThan: 2) == .saved)
        }
        #expect(try await store.setFeedSignal(userID: ada.id, paperID: "2410.00003", kind: .read, on: true, clearing: [],
                                              now: Date(), ifFewerThan: 2) == .capReached(2))
        // One already set is not a new one; clearing always goes through.
        #expect(try await store.setFeedSignal(userID: ada.id, paperID: "2410.00001", kind: .read, on: true, clearing: [],
                                              now: Date(), ifFewerThan: 2) == .saved)
        #expect(try await store.setFeedSignal(userID: ada.id, paperID: "2410.00001", kind: .read, on: false, clearing: [],
                                              now: Date(), ifFewerThan: 2) == .saved)
        // Every kind on two papers at once with room for one: exactly one gets in.
        let writes = try await withThrowingTaskGroup(of: FeedSignalWrite.self) { group in
            for paper in ["2410.00003", "2410.00004"] {
                for kind in FeedSignalKind.allCases {
                    group.addTask {
                        try await store.setFeedSignal(userID: ada.id, paperID: paper, kind: kind, on: true, clearing: [], now: Date(), ifFewerThan: 2)
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(writes.filter { $0 == .saved }.count == 1 && writes.filter { $0 == .capReached(2) }.count == FeedSignalKind.allCases.count * 2 - 1)
        #expect(try await store.feedSignals(userID: ada.id).count == 2)
    }

    @Test(arguments: StoreImplementation.allCases)
    func feedInputsHoldUpvotesSavesAndSignalsOldestFirst(_ implementation: StoreImplementation) async throws {
        let (store, ada, bob) = try await Self.setUp(implementation)
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        _ = try await store.setUpvote(userID: ada.id, paperID: "2410.00003", on: true, now: t0)
        _ = try await store.setUpvote(userID: ada.id, paperID: "2410.00001", on: true, now: t0.addingTimeInterval(5))
        _ = try await store.setUpvote(userID: bob.id, paperID: "2410.00002", on: true, now: t0)
        let first = try await store.createCollection(userID: ada.id, name: "Saved", description: "", isPublic: false, now: t0)
        let second = try await store.createCollection(userID: ada.id, name: "Later", description: "", isPublic: false, now: t0)
        try await store.saveToCollection(id: first.id, paperID: "2410.00004", note: "", now: t0.addingTimeInterval(9))
        try await store.saveToCollection(id: second.id, paperID: "2410.00004", note: "", now: t0.addingTimeInterval(2))
        try await store.saveToCollection(id: second.id, paperID: "2410.00002", note: "", now: t0.addingTimeInterval(3))
        _ = try await store.setFeedSignal(userID: ada.id, paperID: "2410.00002", kind: .notInterested, on: true, clearing: [],
                                          now: t0.addingTimeInterval(4), ifFewerThan: 10)
        let inputs = try await store.feedInputs(userID: ada.id)
        #expect(inputs.upvoted == ["2410.00003", "2410.00001"])
        #expect(inputs.saved == ["2410.00004", "2410.00002"]) // once each, by the first save
        #expect(inputs.signals == [FeedSignal(paperID: "2410.00002", kind: .notInterested, createdAt: t0.addingTimeInterval(4))])
        #expect(try await store.feedInputs(userID: bob.id) == FeedInputs(upvoted: ["2410.00002"], saved: [], signals: []))
    }

    /// Own papers, papers left out of the model and opened papers (migration
    /// 42 on SQLite and PostgreSQL): kept, read back and cleared like the
    /// others, "mine" cleared by "not interested", and gone with the account.
    @Test(arguments: StoreImplementation.allCases)
    func ownExcludedAndOpenedPapersAreKeptLikeTheOtherSignals(_ implementation: StoreImplementation) async throws {
        let (store, ada, _) = try await Self.setUp(implementation)
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        for (offset, (paper, kind)) in [("2410.00001", FeedSignalKind.mine), ("2410.00002", .mine), ("2410.00001", .excluded),
                                        ("2410.00003", .opened), ("2410.00001", .opened)].enumerated() {
            #expect(try await store.setFeedSignal(userID: ada.id, paperID: paper, kind: kind, on: true, clearing: [],
                                                  now: t0.addingTimeInterval(Double(offset)), ifFewerThan: 10) == .saved)
        }
        // An opened paper opened again is written once.
        _ = try await store.setFeedSignal(userID: ada.id, paperID: "2410.00003", kind: .opened, on: true, clearing: [],
                                          now: t0.addingTimeInterval(60), ifFewerThan: 10)
        #expect(try await store.feedSignals(userID: ada.id).map { "\($0.paperID) \($0.kind.rawValue)" }
                == ["2410.00001 opened", "2410.00003 opened", "2410.00001 excluded", "2410.00002 mine", "2410.00001 mine"])
        _ = try await store.setFeedSignal(userID: ada.id, paperID: "2410.00002", kind: .notInterested, on: true, clearing: [.moreLikeThis, .mine],
                                          now: t0.addingTimeInterval(70), ifFewerThan: 10)
        _ = try await store.setFeedSignal(userID: ada.id, paperID: "2410.00001", kind: .excluded, on: false, clearing: [],
                                          now: t0, ifFewerThan: 10)
        #expect(try await store.feedInputs(userID: ada.id).signals.map { "\($0.paperID) \($0.kind.rawValue)" }
                == ["2410.00001 mine", "2410.00003 opened", "2410.00001 opened", "2410.00002 not_interested"])
        try await store.deleteUser(id: ada.id)
        #expect(try await store.feedSignals(userID: ada.id).isEmpty)
    }
}
